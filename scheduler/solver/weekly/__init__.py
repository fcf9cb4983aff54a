"""The weekly (time-indexed) CP-SAT model: one literal per way a phase can be held.

Every phase of a pupil (and every theory block of a class) becomes a choice among its
*placements*: a first teaching week, a number of weeks and a place (a centre, or a company with
one of its mentors). Exactly one placement per phase is chosen. Everything the rules forbid in a
given week (an absence, a closure, an absent mentor, a full reservation, a pinned week) simply
has no placement (:mod:`.domains`); what pupils share becomes a sum of literals per place and
week (:mod:`.rules`); every objective term is linear in the literals (:mod:`.terms`).

Compared with the interval model (:mod:`scheduler.solver.builder`), this model is larger but its
linear relaxation is strong (measured: 95 % of the optimum at the root on the EMT example, where
the interval model's relaxation is far weaker), so CP-SAT proves small parts optimal quickly and
the relaxation itself is a lower bound (:mod:`.relaxation`). It plans classes and regions, and it
re-plans from a baseline with the number of changed pupil-weeks counted exactly.
"""
