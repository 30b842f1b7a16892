"""Live generation progress: (stage, fraction) per plan, on the shared progress channel."""

from __future__ import annotations

from backend.services.progress import ProgressChannel

channel = ProgressChannel()
publish = channel.publish
subscribe = channel.subscribe
