from hypothesis import given
from hypothesis import strategies as st

from services.gateway.limits import TokenBuckets


def test_a_burst_then_a_steady_rate_per_key():
    buckets = TokenBuckets(rate_per_minute=60, burst=2)
    assert [buckets.take("a", now=0.0) for _ in range(3)] == [True, True, False]
    assert buckets.take("b", now=0.0)  # each key has its own bucket
    assert not buckets.take("a", now=0.5)
    assert buckets.take("a", now=1.6)  # one token per second comes back


@given(st.lists(st.floats(min_value=0, max_value=1000), max_size=200))
def test_never_more_than_burst_plus_refill(times):
    buckets = TokenBuckets(rate_per_minute=60, burst=5)
    times = sorted(times)
    allowed = sum(buckets.take("k", now=t) for t in times)
    span = (times[-1] - times[0]) if times else 0
    assert allowed <= 5 + span * 1.0 + 1e-9
