"""The rule-table credit-memo coder: proposals from the bundled rules and from a team's file,
named by the settings the book was opened with (no environment patched)."""

import os
from dataclasses import replace

import pytest

from arctui.config import Settings
from arctui.plugins import PluginHost
from arctui.services.context import Context
from arctui.services.credit_memos import MemoContext, Proposal, propose_coding
from arctui.store.connection import connect
from arctui_plugins import rule_coder

CUSTOMER = {"id": 1, "account_no": "C001", "name": "Northwind Supply", "currency": "USD"}
INVOICE = {"id": 1, "number": "INV-1001", "open_cents": 150_000}
HOST = PluginHost()  # the installed plugins, as the console has them


@pytest.fixture
def ctx(tmp_path):
    """No team file and no settings file unless a test sets one; a book with no chart of codes
    (the coder's proposals are held to a book's chart only once it has one)."""
    db = connect(tmp_path / "book.db", create=True)
    yield Context(db, "ann", settings=Settings(), plugins=HOST)
    db.close()


def proposals(ctx, hint, settings=None):
    if settings is not None:
        ctx = replace(ctx, settings=settings)
    return dict(propose_coding(ctx, MemoContext(CUSTOMER, INVOICE, 25_000, hint)))


def test_the_rule_coder_is_registered_through_the_hook():
    assert "rules" in HOST.collect("coders")


def test_keyword_in_the_hint_proposes_reason_and_gl(ctx):
    proposal = proposals(ctx, "Customer was overcharged: the discount not applied on line 2")["rules"]
    assert (proposal.reason_code, proposal.gl_code) == ("pricing", "4510")
    assert proposal.why == (
        "Pricing adjustment: 'overcharged', 'discount not applied' in the hint (memo_rules.csv line 2)"
    )


def test_the_rule_with_most_keywords_wins(ctx):
    proposal = proposals(ctx, "2 cases short shipped, 5 arrived damaged, broken and defective")["rules"]
    assert (proposal.reason_code, proposal.gl_code) == ("damaged", "4530")


def test_keywords_match_whole_words_only(ctx):
    # "taxi" is not "tax"; "returning" is not "return"
    assert "rules" not in proposals(ctx, "the taxi driver was returning late")


def test_a_reason_code_in_the_hint_when_no_keyword_matches(ctx):
    proposal = proposals(ctx, "dispute reason: not_received")["rules"]
    assert proposal == Proposal(
        "not_received",
        "4540",
        "Goods or service not received: reason code 'not_received' in the hint (memo_rules.csv line 5)",
    )


def test_no_proposal_without_a_match(ctx):
    assert "rules" not in proposals(ctx, "customer is unhappy")


def write_rules(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_a_team_rules_file_from_the_environment(ctx, tmp_path):
    rules = write_rules(
        tmp_path / "ours.csv",
        "reason_code,gl_code,label,keywords\n"
        "PRC,40100,Price correction,price;overcharged\n"
        "RBT,40200,Volume rebate,rebate;volume discount\n",
    )
    # $ARCTUI_MEMO_RULES, read once with the settings, names the rules file
    settings = Settings.load(tmp_path / "no-config.toml", environ={"ARCTUI_MEMO_RULES": str(rules)})
    proposal = proposals(ctx, "Q3 volume discount owed", settings)["rules"]
    assert (proposal.reason_code, proposal.gl_code) == ("RBT", "40200")
    assert "ours.csv line 3" in proposal.why
    # the file is read again when it changed: an edit counts at once
    write_rules(rules, "reason_code,gl_code,label,keywords\nRBT,40999,Rebate,volume discount\n")
    assert proposals(ctx, "Q3 volume discount owed", settings)["rules"].gl_code == "40999"


def test_a_team_rules_file_from_the_settings_file(ctx, tmp_path):
    rules = write_rules(tmp_path / "team.csv", "reason_code,gl_code,label,keywords\nFRT,50500,Freight refund,freight\n")
    config = tmp_path / "config.toml"
    config.write_text(f'[credit_memos]\nrules = "{rules}"\n', encoding="utf-8")
    settings = Settings.load(config, environ={})
    assert proposals(ctx, "freight billed twice", settings)["rules"].reason_code == "FRT"


def test_the_rules_file_is_read_once_and_again_only_when_it_changed(ctx, tmp_path, monkeypatch):
    rules = write_rules(tmp_path / "team.csv", "reason_code,gl_code,label,keywords\nFRT,50500,Freight refund,freight\n")
    settings = Settings({"credit_memos": {"rules": str(rules)}})
    reads, read = [], rule_coder.load_rules
    monkeypatch.setattr(rule_coder, "load_rules", lambda path: reads.append(path) or read(path))
    coder = rule_coder.RuleCoder()
    context = MemoContext(CUSTOMER, INVOICE, 25_000, "", settings.section("credit_memos"))
    for typed in range(1, len("freight billed twice") + 1):  # a hint typed key by key
        coder.propose(replace(context, hint="freight billed twice"[:typed]))
    assert reads == [rules]
    # an edit of the same size is told by its modification time
    stamp = rules.stat().st_mtime_ns
    write_rules(rules, "reason_code,gl_code,label,keywords\nFRT,50599,Freight refund,freight\n")
    os.utime(rules, ns=(stamp + 1_000_000_000, stamp + 1_000_000_000))
    assert coder.propose(replace(context, hint="freight")).gl_code == "50599"
    assert coder.propose(replace(context, hint="freight again")).gl_code == "50599"
    assert reads == [rules, rules]
    # one of another size by its size, whatever its time says
    write_rules(rules, "reason_code,gl_code,label,keywords\nFRT,505,Freight refund,freight\n")
    os.utime(rules, ns=(stamp + 1_000_000_000, stamp + 1_000_000_000))
    assert coder.propose(replace(context, hint="freight")).gl_code == "505"
    assert reads == [rules, rules, rules]


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "reason,gl_code,label,keywords\n",
            "line 1: missing column(s) reason_code; expected the header reason_code,gl_code,label,keywords",
        ),
        (
            "reason_code,gl_code,label,keywords\nPRC,40100,Price,price\nRBT,,Rebate,rebate\n",
            "line 3: gl_code is empty; expected a GL account code",
        ),
        (
            "reason_code,gl_code,label,keywords\nPRC,40100,Price,price\nprc,40101,Price again,cost\n",
            "line 3: reason_code 'prc' is already on line 2; expected one rule per reason",
        ),
    ],
)
def test_a_broken_rules_file_names_file_line_and_field(tmp_path, text, message):
    rules = write_rules(tmp_path / "bad.csv", text)
    with pytest.raises(rule_coder.RulesFileError) as caught:
        rule_coder.load_rules(rules)
    assert str(caught.value) == f"{rules} {message}"


def test_a_missing_rules_file_is_reported_naming_the_plugin_and_the_collector_goes_on(ctx, tmp_path):
    settings = Settings({"credit_memos": {"rules": str(tmp_path / "gone.csv")}})
    before = len(HOST.problems)
    assert "rules" not in proposals(ctx, "overcharged", settings)
    assert HOST.take_problems()[-1].startswith(
        f"plugin rule_coder: credit memo coder rules failed: {tmp_path / 'gone.csv'}: cannot be read"
    )
    assert len(HOST.problems) == before + 1
