"""Planning engine for dual learning (duaal leren) in Flanders.

The package turns a scenario (programme, school calendar, pupils, companies, mentors and
training centres) into a week-by-week year plan, checks plans independently and explains
scenarios for which no plan exists.
"""

__version__ = "0.1.0"
