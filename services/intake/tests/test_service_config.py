import pytest

from services.intake.service import _pin_secret


def test_intake_refuses_to_run_without_a_pin_key(monkeypatch):
    monkeypatch.delenv("LAPOR_PIN_SECRET", raising=False)
    with pytest.raises(RuntimeError, match="LAPOR_PIN_SECRET"):
        _pin_secret()
    monkeypatch.setenv("LAPOR_PIN_SECRET", "short")
    with pytest.raises(RuntimeError):
        _pin_secret()
    monkeypatch.setenv("LAPOR_PIN_SECRET", "a" * 32)
    assert _pin_secret() == b"a" * 32
