"""How the decline threshold is chosen from cross-validated probabilities."""
import numpy as np
import pytest

from bot.answers.evaluation import load_question_set
from bot.answers.fitting import FALSE_ANSWER_COST, MERGED_BASES, best_threshold, groups, left_out, merged_groups
from bot.errors import KnowledgeError


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


def test_cross_validation_never_scores_a_question_the_model_was_fitted_on():
    # Documents 0-3 alone, then two merged bases: {0, 2} and {1, 3}.
    leave = left_out(4, [{0, 2}, {1, 3}])
    assert leave[0] == {0, 4} and leave[3] == {3, 5}
    assert leave[4] == {4, 0, 2} and leave[5] == {5, 1, 3}


def test_off_topic_questions_are_out_of_scope_and_marked(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text('out_of_scope:\n  - "is ledgerline iso 27001 certified?"\n'
                    'off_topic:\n  - "which standing desk do we order?"\n', encoding="utf-8")
    cases = load_question_set(path)
    assert [(c.kind, c.off_topic) for c in cases] == [("out_of_scope", False), ("out_of_scope", True)]
    path.write_text('off_topics:\n  - "which desk?"\n', encoding="utf-8")
    with pytest.raises(KnowledgeError):
        load_question_set(path)


def test_merged_bases_hold_their_documents_and_only_their_off_topic_out_of_scope_questions():
    names = [name for name, _, _ in groups()]
    merged = merged_groups(names)
    assert len(merged) == MERGED_BASES
    assert sorted(g for _, _, _, m in merged for g in m) == sorted(
        i for i, n in enumerate(names) if n not in ("bundled", "article"))
    _, answerer, cases, members = merged[0]
    assert len({p.path for p in answerer.passages}) == len(members)
    out = [c for c in cases if c.kind == "out_of_scope"]
    assert out and all(c.off_topic for c in out) and any(c.kind == "which" for c in cases)
