"""The mart registry's side inputs: the marts that read the plumbing marts are never held back by their sources."""

from dataclasses import replace

import pytest

from transforms.marts_registry import MARTS, _in_dependency_order, mart_sources


def test_side_inputs_never_hold_back_the_funding_events():
    for mart in MARTS.values():
        assert set(mart.side_inputs) <= set(mart.inputs), mart.name
    assert not {"nyfed_pd", "ofr_stfm"} & mart_sources("funding_events")  # their failure must not freeze alerts
    assert not {"nyfed_pd", "ofr_stfm"} & mart_sources("basis_weekly")
    assert mart_sources("dealer_positions_weekly") == {"nyfed_pd"} and "ofr_stfm" in mart_sources("repo_segments_daily")
    assert {"dealer_positions_weekly", "repo_segments_daily"} <= set(MARTS["funding_events"].inputs)


def test_a_side_input_must_be_an_input():
    stray = replace(MARTS["funding_events"], side_inputs=("cftc_tff",))  # SYNTHETIC: a side input it does not read
    with pytest.raises(ValueError, match="side inputs cftc_tff are not among its inputs"):
        _in_dependency_order([*(m for m in MARTS.values() if m.name != "funding_events"), stray])
    assert MARTS["basis_weekly"].main_inputs == ("cftc_tff", "funding_daily")
