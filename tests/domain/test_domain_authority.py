import re

import pytest

from arctui.domain.authority import AuthorityError, check_approver, needs_approval


def test_needs_approval_only_above_the_preparers_limit():
    assert needs_approval(50_001, 50_000)
    assert not needs_approval(50_000, 50_000)


def test_within_limit_by_someone_else_passes():
    assert check_approver(100_000, "bob", "alice", 100_000) is None


@pytest.mark.parametrize("approver", ["bob", "Bob "])
def test_nobody_approves_their_own_memo(approver):
    with pytest.raises(AuthorityError, match="nobody approves their own credit memo"):
        check_approver(1, "bob", approver, 10**9)


def test_above_the_approvers_limit():
    message = "credit memo of $2,500.00 is above alice's limit of $2,000.00"
    with pytest.raises(AuthorityError, match=re.escape(message)):
        check_approver(250_000, "bob", "alice", 200_000)
    message = "credit memo of €2,500.00 is above alice's limit of €2,000.00"
    with pytest.raises(AuthorityError, match=re.escape(message)):
        check_approver(250_000, "bob", "alice", 200_000, currency="EUR")


def test_authority_error_is_a_permission_error():
    assert issubclass(AuthorityError, PermissionError)
