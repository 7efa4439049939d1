"""The rule-table credit-memo coder: proposals from the bundled rules and from a team's file."""
import pytest

from arctui import plugins
from arctui.services.credit_memos import MemoContext, Proposal, propose_coding
from arctui_plugins import rule_coder

CUSTOMER = {"id": 1, "account_no": "C001", "name": "Northwind Supply", "currency": "USD"}
INVOICE = {"id": 1, "number": "INV-1001", "open_cents": 150_000}


@pytest.fixture(autouse=True)
def bundled_rules(monkeypatch, tmp_path):
    """No team file and no settings file unless a test sets one."""
    monkeypatch.delenv(rule_coder.RULES_ENV, raising=False)
    monkeypatch.setenv("ARCTUI_CONFIG", str(tmp_path / "no-config.toml"))
    plugins.load_plugins()


def proposals(hint):
    return dict(propose_coding(MemoContext(CUSTOMER, INVOICE, 25_000, hint)))


def test_the_rule_coder_is_registered_through_the_hook():
    assert "rules" in plugins.collect("register_credit_memo_coders")


def test_keyword_in_the_hint_proposes_reason_and_gl():
    proposal = proposals("Customer was overcharged: the discount not applied on line 2")["rules"]
    assert (proposal.reason_code, proposal.gl_code) == ("pricing", "4510")
    assert proposal.why == ("Pricing adjustment: 'overcharged', 'discount not applied' in the hint"
                            " (memo_rules.csv line 2)")


def test_the_rule_with_most_keywords_wins():
    proposal = proposals("2 cases short shipped, 5 arrived damaged, broken and defective")["rules"]
    assert (proposal.reason_code, proposal.gl_code) == ("damaged", "4530")


def test_keywords_match_whole_words_only():
    # "taxi" is not "tax"; "returning" is not "return"
    assert "rules" not in proposals("the taxi driver was returning late")


def test_a_reason_code_in_the_hint_when_no_keyword_matches():
    proposal = proposals("dispute reason: not_received")["rules"]
    assert proposal == Proposal("not_received", "4540", "Goods or service not received: reason code"
                                " 'not_received' in the hint (memo_rules.csv line 5)")


def test_no_proposal_without_a_match():
    assert "rules" not in proposals("customer is unhappy")


def write_rules(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_a_team_rules_file_from_the_environment(monkeypatch, tmp_path):
    rules = write_rules(tmp_path / "ours.csv", "reason_code,gl_code,label,keywords\n"
                        "PRC,40100,Price correction,price;overcharged\n"
                        "RBT,40200,Volume rebate,rebate;volume discount\n")
    monkeypatch.setenv(rule_coder.RULES_ENV, str(rules))
    proposal = proposals("Q3 volume discount owed")["rules"]
    assert (proposal.reason_code, proposal.gl_code) == ("RBT", "40200")
    assert "ours.csv line 3" in proposal.why
    # the file is read on every proposal: an edit counts at once
    write_rules(rules, "reason_code,gl_code,label,keywords\nRBT,40999,Rebate,volume discount\n")
    assert proposals("Q3 volume discount owed")["rules"].gl_code == "40999"


def test_a_team_rules_file_from_the_settings_file(monkeypatch, tmp_path):
    rules = write_rules(tmp_path / "team.csv", "reason_code,gl_code,label,keywords\n"
                        "FRT,50500,Freight refund,freight\n")
    config = tmp_path / "config.toml"
    config.write_text(f'[credit_memos]\nrules = "{rules}"\n', encoding="utf-8")
    monkeypatch.setenv("ARCTUI_CONFIG", str(config))
    assert proposals("freight billed twice")["rules"].reason_code == "FRT"


@pytest.mark.parametrize("text, message", [
    ("reason,gl_code,label,keywords\n",
     "line 1: missing column(s) reason_code; expected the header reason_code,gl_code,label,keywords"),
    ("reason_code,gl_code,label,keywords\nPRC,40100,Price,price\nRBT,,Rebate,rebate\n",
     "line 3: gl_code is empty; expected a GL account code"),
    ("reason_code,gl_code,label,keywords\nPRC,40100,Price,price\nprc,40101,Price again,cost\n",
     "line 3: reason_code 'prc' is already on line 2; expected one rule per reason"),
])
def test_a_broken_rules_file_names_file_line_and_field(tmp_path, text, message):
    rules = write_rules(tmp_path / "bad.csv", text)
    with pytest.raises(rule_coder.RulesFileError) as caught:
        rule_coder.load_rules(rules)
    assert str(caught.value) == f"{rules} {message}"


def test_a_missing_rules_file_is_reported_and_the_collector_goes_on(monkeypatch, tmp_path):
    monkeypatch.setenv(rule_coder.RULES_ENV, str(tmp_path / "gone.csv"))
    before = len(plugins.errors)
    assert "rules" not in proposals("overcharged")
    assert "gone.csv: cannot be read" in plugins.errors[before]
    del plugins.errors[before:]
