"""``strip_repeated_source_line``: bodies imported from the old board that open with the
source line the brief page already prints, once or several times."""

import datetime as dt

import pytest

from newsbrief.briefs.text import strip_repeated_source_line

JUNE_1 = dt.date(2012, 6, 1)


@pytest.mark.parametrize(
    ("body", "fixed"),
    [
        ("CENS.com (2012/06/01) Taiwan and Japan agree.", "Taiwan and Japan agree."),
        (
            "CENS.com (2012/06/01) CENS.com (2012/06/01) CENS.com (2012/06/01) Taiwan.",
            "Taiwan.",
        ),
        ("\n\n  CENS.com (2012/06/01)\n\n\nCENS.com (2012/06/01)\n\nTaiwan.", "Taiwan."),
        ("CENS.com(2012/06/01)Taiwan.", "Taiwan."),
        ("cens.COM (2012/06/01) Taiwan.", "Taiwan."),
        ("CENS.com (2012/6/1) Taiwan.", "Taiwan."),
        ("CENS.com (2012-06-01) Taiwan.", "Taiwan."),
        ("CENS.com (2012.06.01) Taiwan.", "Taiwan."),
        ("CENS.com（2012年6月1日）台日合作。", "台日合作。"),
        ("CENS.com ( 2012 / 06 / 01 ) Taiwan.", "Taiwan."),
        ("\u3000CENS.com (2012/06/01)\u3000Taiwan.", "Taiwan."),
        # Only the opening repeats go; the rest of the body is kept as it is.
        (
            "CENS.com (2012/06/01) First.\n\nCENS.com (2012/06/01) is quoted here.  \n",
            "First.\n\nCENS.com (2012/06/01) is quoted here.  \n",
        ),
    ],
)
def test_repeated_source_lines_at_the_start_are_removed(body, fixed):
    assert strip_repeated_source_line(body, "CENS.com", JUNE_1) == fixed


def test_a_source_name_of_several_words_may_be_spaced_differently():
    body = "Taipei  Times\n(2011/06/13) The Industrial Technology Research Institute signed."
    fixed = strip_repeated_source_line(body, "Taipei Times", dt.date(2011, 6, 13))
    assert fixed == "The Industrial Technology Research Institute signed."


def test_a_chinese_source_name():
    body = "中央社 (2011/07/21) 中央社 (2011/07/21) 國科會與以色列科技部宣布。"
    fixed = strip_repeated_source_line(body, "中央社", dt.date(2011, 7, 21))
    assert fixed == "國科會與以色列科技部宣布。"


@pytest.mark.parametrize(
    "body",
    [
        "Taiwan and Japan agree.",
        "",
        # Another date is another line: the editor has to look at it.
        "CENS.com (2012/05/31) Taiwan.",
        "CENS.com (2012/13/45) Taiwan.",
        # Another source, or the source named in a sentence.
        "Taipei Times (2012/06/01) Taiwan.",
        "CENS.com reports that Taiwan (2012/06/01) agrees.",
        "CENS.community (2012/06/01) Taiwan.",
        "In CENS.com (2012/06/01) Taiwan.",
        # Nothing would be left of the body.
        "CENS.com (2012/06/01)",
        "CENS.com (2012/06/01)\n\nCENS.com (2012/06/01)\n",
    ],
)
def test_nothing_to_fix(body):
    assert strip_repeated_source_line(body, "CENS.com", JUNE_1) is None


def test_the_date_is_what_the_brief_says_not_just_any_date():
    body = "CENS.com (2012/06/01) CENS.com (2012/06/02) Taiwan."
    assert strip_repeated_source_line(body, "CENS.com", JUNE_1) == ("CENS.com (2012/06/02) Taiwan.")


def test_without_a_date_only_a_line_of_its_own_counts():
    assert strip_repeated_source_line("CNA\n\nCNA\nTaiwan.", "CNA", None) == "Taiwan."
    assert strip_repeated_source_line("CNA reports that Taiwan.", "CNA", None) is None
    assert strip_repeated_source_line("CNA (2012/06/01) Taiwan.", "CNA", None) is None


def test_without_a_name_the_dated_line_counts():
    assert strip_repeated_source_line("(2012/06/01) Taiwan.", "", JUNE_1) == "Taiwan."


def test_no_source_no_fix():
    assert strip_repeated_source_line("CENS.com (2012/06/01) Taiwan.", "", None) is None
    assert strip_repeated_source_line("CENS.com (2012/06/01) Taiwan.", "  ", None) is None


def test_regex_characters_in_the_name_are_literal():
    body = "A+B (Taipei) (2012/06/01) Taiwan."
    assert strip_repeated_source_line(body, "A+B (Taipei)", JUNE_1) == "Taiwan."
    assert strip_repeated_source_line("AAB (Taipei) (2012/06/01) x", "A+B (Taipei)", JUNE_1) is None
