"""The CP-SAT model of the year plan (the only package that imports ortools)."""
