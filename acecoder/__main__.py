"""`python -m acecoder` runs the CLI."""

from acecoder.cli.main import app

app()
