"""The planning computation as a pure library: typed plan inputs in, targets and relaxations out."""
