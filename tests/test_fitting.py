"""How the decline threshold is chosen from cross-validated probabilities."""
import numpy as np

from bot.answers.fitting import FALSE_ANSWER_COST, best_threshold


def _cost(p, y, t):
    return FALSE_ANSWER_COST * np.sum((p >= t) & (y == 0)) + np.sum((p < t) & (y == 1))


def test_the_threshold_stands_in_a_wide_minimum_not_on_a_knife_edge():
    answerable = [0.95, 0.47, 0.4, 0.5, 0.54, 0.46, 0.68, 0.96, 0.39, 0.59, 0.77, 0.92]
    out_of_scope = [0.9, 0.13, 0.48, 0.79]
    p = np.array(answerable + out_of_scope)
    y = np.array([1.0] * len(answerable) + [0.0] * len(out_of_scope))
    # The cost is 9 at 0.91-0.92 with 12 a step below and 10 a step above, and 9 over the
    # whole run of thresholds up to 0.39: the run is where the threshold belongs.
    assert _cost(p, y, 0.92) == 9 and _cost(p, y, 0.90) > 9 and _cost(p, y, 0.93) > 9
    threshold, cost = best_threshold(p, y)
    assert threshold < 0.4 and cost == _cost(p, y, threshold) == 9
