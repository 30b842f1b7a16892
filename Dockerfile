# Quotient: the SPA built with Node, served with the API by one Python process.
FROM node:20-bookworm-slim AS spa
WORKDIR /app/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
COPY schema.graphql /app/schema.graphql
RUN npm run build

FROM python:3.11-slim-bookworm
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock README.md alembic.ini ./
COPY backend/ backend/
COPY solver/ solver/
RUN uv sync --locked --no-dev
COPY --from=spa /app/frontend/dist frontend/dist
ENV PATH="/app/.venv/bin:$PATH" QUOTIENT_ENV=production
EXPOSE 8000
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["quotient", "serve", "--host", "0.0.0.0", "--port", "8000"]
