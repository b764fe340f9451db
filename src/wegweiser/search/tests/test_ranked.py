"""Rankings as arrays (search/ranked.py): what the search passes on between its parts."""

import numpy as np
import pytest

from wegweiser.search.ranked import IdPositions, Ranked, id_array, positions_in, same_kind
from wegweiser.search.selectors import fuse


def test_integer_ids_are_kept_as_integers_and_read_back_as_text():
    ranked = Ranked(["17", "3", "250"], [0.9, 0.5, 0.1])
    assert ranked.ids.dtype == np.int64
    assert list(ranked) == [("17", 0.9), ("3", 0.5), ("250", 0.1)]
    assert ranked[0] == ("17", 0.9) and ranked[1:] == [("3", 0.5), ("250", 0.1)]
    assert ranked.pks().tolist() == [17, 3, 250]
    assert dict(ranked) == {"17": 0.9, "3": 0.5, "250": 0.1}


@pytest.mark.parametrize("ids", [["p1", "2"], ["007", "7"], ["+5"], [" 5"], ["1_0"]])
def test_ids_that_are_no_integers_as_written_stay_text(ids):
    array = id_array(ids)
    assert array.dtype.kind == "U"
    assert array.tolist() == ids


def test_sorted_is_by_score_then_object_id():
    ranked = Ranked(["5", "3", "4", "1"], [0.5, 0.9, 0.5, 0.1]).sorted()
    assert [o for o, _s in ranked] == ["3", "4", "5", "1"]
    assert Ranked().sorted() == []


def test_positions_in_finds_each_id_or_answers_minus_one():
    ids = id_array(["10", "30", "20"])
    assert positions_in(ids, id_array(["20", "99", "10"])).tolist() == [2, -1, 0]
    assert positions_in(id_array([]), id_array(["1"])).tolist() == [-1]
    # An index that holds a text id meets one that holds integers only.
    assert positions_in(id_array(["new", "20"]), id_array(["20", "10"])).tolist() == [1, -1]
    a, b = same_kind(id_array(["1"]), id_array(["x"]))
    assert a.dtype.kind == b.dtype.kind == "U"


@pytest.mark.parametrize(
    "ids",
    [
        ["10", "30", "20", "0"],  # integers close together: the table indexed by id
        ["10", "3000000", "20", "0"],  # far apart: the sorted ids
        ["10", "x", "20", "0"],  # text
    ],
)
def test_id_positions_agree_with_positions_in(ids):
    ids = id_array(ids)
    lookup = IdPositions(ids)
    assert (lookup.table is not None) == (ids.dtype.kind == "i" and ids.max() < 1000)
    for wanted in (["20", "99", "10", "0", "-4", "3000000"], ["x", "20"], []):
        wanted = id_array(wanted)
        expected = positions_in(ids, wanted).tolist()
        assert lookup.of(wanted).tolist() == expected
    assert lookup.of(id_array(["20", "0", "5"])).tolist() == [2, 3, -1]
    assert IdPositions(id_array([])).of(id_array(["1"])).tolist() == [-1]


def test_fusion_joins_integer_and_text_ids():
    fused = fuse([("new", 2.0), ("4", 1.0)], Ranked(["4", "9"], [0.9, 0.85]), floor=0.8)
    # "new" matched only the words: the last candidate's similarity and its full share.
    assert [o for o, _s in fused] == ["4", "new", "9"]
    assert [s for _o, s in fused] == pytest.approx([0.9 + 0.02 * 0.5, 0.85 + 0.02, 0.85])
