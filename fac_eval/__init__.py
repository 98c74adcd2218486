"""fac-eval: reproducible, privacy-safe evaluation of Form'Ain Cube sessions."""

__version__ = "0.1.0"
