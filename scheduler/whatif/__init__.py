"""What-if scenarios: change a scenario, re-plan from the plan in use, report what differs.

- :mod:`scheduler.whatif.changes`: the change file format (typed changes) and
  :func:`~scheduler.whatif.changes.apply_changes`;
- :mod:`scheduler.whatif.replan`: re-planning from a baseline plan with the past frozen;
- :mod:`scheduler.whatif.diff`: :func:`~scheduler.whatif.diff.plan_diff`, what changes between
  two plans, for whom, and the key figures before and after;
- :mod:`scheduler.whatif.render`: the diff and comparisons as rich tables.
"""
