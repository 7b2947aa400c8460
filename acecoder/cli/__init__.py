"""The `acecoder` command line (typer). Each stage's command lives in its own module here."""
