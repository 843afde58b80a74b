"""Wiki and forum sources pasted into text files (MediaWiki, Jira, DokuWiki, BBCode), tables
drawn with box characters, and stamped chat logs: read for their structure, never quoted with
their markup."""
from __future__ import annotations

import pytest

from bot.answers.answerer import Answerer
from bot.knowledge import load_knowledge
from bot.knowledge.wikis import wiki_dialect

MEDIAWIKI = """\
'''Vendor reports''' are what we ask [[Vendor Risk|vendors]] for.<ref>Policy VR-2.</ref>

== The reports ==
;SOC 1
:Controls relevant to customers' ''financial reporting''.
;SOC 2
:Security, plus '''availability''' when management scopes it in.

== Sharing ==
# SOC 1 and SOC 2 are restricted use.
# A SOC 3 is general use; see [https://example.org the trust page].

{| class="wikitable"
|+ At a glance
|-
! Report !! Readers
|-
| SOC 1 || Customers' auditors
|-
| SOC 3 || Anyone
|}
<references />
"""

JIRA = """\
h1. SOC reports for engineering
h2. What we have
We hold a *SOC 2 Type 2* covering _security_ and availability.
||Report||Readers||
|SOC 1|Finance customers' auditors|
|SOC 3|Anyone, on the trust page|
{note}Never write "SOC 2 certified".{note}
h2. Links
[Trust page|https://example.org/trust]
"""

DOKUWIKI = """\
====== SOC reports ======
===== SOC 2 =====
A **SOC 2** covers //security// and, when chosen, availability.((AT-C 205))
  * restricted use
  * read by customers under NDA
^ Report ^ Distribution ^
| SOC 1 | Restricted use |
| SOC 3 | General use |
<note tip>Type 2 carries more weight.</note>
"""

BBCODE = """\
[quote="newbie"]Just get SOC 2 certified.[/quote]
[size=150]SOC 1[/size]
[b]SOC 1[/b] is about controls over customers' financial reporting.
[size=150]SOC 2[/size]
[list]
[*]Security is always in scope.
[*]Availability is optional.
[/list]
More at [url=https://example.org]the AICPA page[/url].
"""


@pytest.mark.parametrize("text,dialect", [(MEDIAWIKI, "mediawiki"), (JIRA, "jira"), (DOKUWIKI, "dokuwiki"),
                                          (BBCODE, "bbcode")])
def test_each_dialect_is_told_and_its_markup_goes(write_files, text, dialect):
    assert wiki_dialect(text) == dialect
    kb = load_knowledge(write_files({"page.txt": text}))
    joined = "\n".join(p.text for p in kb.passages)
    for markup in ("'''", "''", "[[", "{|", "||", "h2.", "{note}", "^", "**", "//", "((", "[b]", "[*]", "[/", "<ref"):
        assert markup not in joined, (dialect, markup)


def test_mediawiki_headings_definitions_and_tables(write_files):
    kb = load_knowledge(write_files({"page.txt": MEDIAWIKI}))
    by_section: dict[str, list[str]] = {}
    for p in kb.passages:
        by_section.setdefault(p.section, []).append(p.text)
    reports = " ".join(by_section["The reports"])
    assert "SOC 1: Controls relevant to customers' financial reporting." in reports
    assert any("SOC 3 — Readers: Anyone." in t for t in by_section["Sharing"])
    assert "see the trust page" in " ".join(by_section["Sharing"])


def test_jira_and_dokuwiki_tables_and_headings(write_files, tmp_path):
    jira = load_knowledge(write_files({"jira.txt": JIRA}))
    assert any(p.section == "What we have" and "SOC 2 Type 2 covering security" in p.text for p in jira.passages)
    assert any("SOC 3 — Readers: Anyone, on the trust page." in p.text for p in jira.passages)
    doku = load_knowledge(write_files({"doku.txt": DOKUWIKI}, tmp_path / "doku"))
    assert {p.title for p in doku.passages} == {"SOC reports"}
    assert any(p.section == "SOC 2" and "restricted use" in p.text for p in doku.passages)
    assert any("SOC 3 — Distribution: General use." in p.text for p in doku.passages)


def test_plain_text_with_indented_bullets_is_no_wiki():
    notes = "Vendor notes\n\n  - SOC 1 for payroll\n  - SOC 2 for hosting\n  * SOC 3 for the site\n"
    assert wiki_dialect(notes) is None


def test_a_table_drawn_with_box_characters_is_a_table(write_files):
    table = ("Matrix\n\n\u2554\u2550\u2550\u2550\u2550\u2566\u2550\u2550\u2550\u2550\u2557\n"
             "\u2551 Q  \u2551 SOC 3 \u2551\n"
             "\u2560\u2550\u2550\u2550\u2550\u256c\u2550\u2550\u2550\u2550\u2563\n"
             "\u2551 Public? \u2502 Yes, general  \u2551\n"
             "\u2551         \u2502 use          \u2551\n"
             "\u255a\u2550\u2550\u2550\u2550\u2569\u2550\u2550\u2550\u2550\u255d\n")
    kb = load_knowledge(write_files({"m.txt": table}))
    assert [p.text for p in kb.passages] == ["Public? — SOC 3: Yes, general use."]


def test_a_stamped_chat_line_reads_without_its_stamp(write_files):
    log = ("Ticket 42\n\n[2025-03-04 10:15:44] Renata (Agent): Security wants the SOC 2.\n"
           "[2025-03-04 10:16:02] Marcus (Customer): and finance?\n")
    kb = load_knowledge(write_files({"chat.txt": log}))
    assert kb.passages[0].text.splitlines() == ["Renata (Agent): Security wants the SOC 2.", "Marcus (Customer): and finance?"]
    answerer = Answerer.from_directory(write_files({"chat.txt": log}))
    assert answerer.answer("what does security want?").reports == ("SOC 2",)


def test_a_template_over_several_lines_gives_its_parameters_as_labels(write_files):
    page = ("{{Infobox report\n| name = SOC 3\n| distribution = General use\n| standard = AT-C 205\n}}\n"
            "== Overview ==\nA '''SOC 3''' is a short report.\n== Use ==\n* It may be posted on a website.\n")
    kb = load_knowledge(write_files({"soc3.txt": page}))
    text = "\n".join(p.text for p in kb.passages)
    assert "distribution: General use" in text and "{{" not in text and "| name" not in text


def test_a_chat_line_with_the_time_in_brackets_is_a_turn_of_its_own(write_files):
    sms = ("texts with advisor\n\nDana (Tue 9:14 PM): which soc report for the bank?\n"
           "Lee (Tue 9:15 PM): bank = SOC 1, their auditors care about your financial controls\n"
           "Lee (Tue 9:15 PM): saas prospects want SOC 2\n")
    kb = load_knowledge(write_files({"sms.txt": sms}))
    assert kb.passages[0].text.splitlines()[1].startswith("Lee (Tue 9:15 PM): bank = SOC 1")


def test_a_chat_s_system_notice_reads_without_its_asterisks(write_files):
    log = "Ticket 7\n\n[2025-03-04 10:17:01] *** Priya shared a file: soc3-report.pdf ***\n[2025-03-04 10:17:05] Priya (Agent): Here is the SOC 3.\n"
    kb = load_knowledge(write_files({"chat.txt": log}))
    assert kb.passages[0].text.splitlines()[0] == "Priya shared a file: soc3-report.pdf"


def test_an_irc_log_reads_as_turns_without_its_joins_and_topic(write_files):
    log = ("--- Log opened Thu May 02 13:58:40 2024\n-!- Topic for #compliance: audits | which SOC\n"
           "[13:58] * dgunn has joined #compliance\n[14:02] <priya_vr> which one for payroll?\n"
           "[14:03] <@oskar_k> payroll feeds your ledger. ask for their SOC 1\n[14:04] <dgunn> and SOC 2 for hosting\n")
    kb = load_knowledge(write_files({"compliance.irc.txt": log}))
    lines = [line for p in kb.passages for line in p.text.splitlines()]
    assert lines[-2:] == ["oskar k: payroll feeds your ledger. ask for their SOC 1", "dgunn: and SOC 2 for hosting"]
    assert not any("joined" in line or "Topic" in line or "<" in line for line in lines)


@pytest.mark.parametrize("line", ["12/03/2024, 14:05 - Dana Whitfield: payroll is SOC 1",
                                  "[3/14/24, 9:02 PM] Dana Whitfield: payroll is SOC 1"])
def test_a_phone_s_chat_export_reads_as_turns(write_files, line):
    chat = f"Finance Ops\n\n12/03/2024, 14:04 - Marcus: which one?\n{line}\n12/03/2024, 14:06 - Marcus: <Media omitted>\n"
    kb = load_knowledge(write_files({"chat.txt": chat}))
    assert kb.passages[0].text.splitlines() == ["Marcus: which one?", "Dana Whitfield: payroll is SOC 1"]


def test_a_talk_page_s_signatures_go_and_a_reply_calling_a_claim_wrong_denies_it(write_files):
    talk = ("== Availability listed under SOC 1 ==\n\nThe comparison table puts availability in the SOC 1 column. "
            "I think that's backwards. -- [[User:Quill|Quill]] ([[User talk:Quill|talk]]) 20:48, 11 May 2024 (UTC)\n"
            ": Agreed. Availability is one of the Trust Services Criteria, so it belongs to SOC 2. "
            "-- [[User:Denk|Denk]] ([[User talk:Denk|talk]]) 22:10, 11 May 2024 (UTC)\n\n"
            "== Example ==\n\n'''SOC 1''' covers payroll.\n")
    kb = load_knowledge(write_files({"talk.txt": talk}))
    assert not any("UTC" in p.text or "talk)" in p.text for p in kb.passages)
    answerer = Answerer.from_directory(write_files({"talk.txt": talk}))
    assert answerer.answer("Which report covers availability?").reports == ("SOC 2",)


def test_mediawiki_nested_bullets_are_no_org_headings(write_files):
    page = ("'''Vendor reports''' are what we ask for.\n== Reports ==\n* SOC 1\n** for payroll and billing vendors\n"
            "* SOC 2\n** for hosting, with availability\n"
            "== Rules ==\n# Ask for the report\n# Read the '''CUECs'''\n")
    kb = load_knowledge(write_files({"faq.txt": page}))
    assert {p.section for p in kb.passages} >= {"Reports", "Rules"}
    assert not any("==" in p.text or "'''" in p.text for p in kb.passages)
