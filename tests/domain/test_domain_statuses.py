from arctui.domain import statuses


def test_vocabularies_have_no_duplicates_and_snake_case_names():
    for values in (
        statuses.CUSTOMER_STATUSES, statuses.MEMO_STATUSES, statuses.TOUCHPOINT_KINDS,
        statuses.ESCALATION_KINDS, statuses.PAYMENT_METHODS, tuple(statuses.DISPUTE_REASONS),
    ):  # fmt: skip
        assert len(set(values)) == len(values)
        assert all(v == v.lower() and " " not in v for v in values)


def test_outcome_codes_are_short_upper_case_with_labels():
    assert statuses.OUTCOME_CODES["PTP"] == "promise to pay"
    assert all(code.isupper() and 2 <= len(code) <= 4 for code in statuses.OUTCOME_CODES)
    assert all(statuses.OUTCOME_CODES.values())
