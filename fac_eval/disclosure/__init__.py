"""The disclosure stage of fac-eval (see the README's "What is inside")."""
