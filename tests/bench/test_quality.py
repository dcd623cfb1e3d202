"""``newsbrief bench search --quality``: the corpus builder, the queries, the metrics and one
whole run on a tiny inline corpus (no Debian package needed)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from newsbrief.bench import quality
from newsbrief.bench.quality import Item, Query

HTML = """<html><head><title>章 3. 系統初始化</title><style>p {}</style></head><body>
<div class="navheader"><a href="ch02.html">上一頁</a> 導覽列</div>
<div class="chapter"><h1 class="title">章 3. 系統初始化</h1>
<div class="toc"><dl><dt>3.1. 啓動過程概述</dt></dl></div>
<p>作爲系統管理員，粗略地瞭解 Debian
系統的啓動和配置方式是明智的。</p>
<div class="section"><h2 class="title"><a id="_x"/>3.1. 啓動過程概述</h2>
<p>典型的啓動過程像是一個<b>四級</b>的火箭。</p>
<pre class="screen">$ ls -l
# apt-get install  foo</pre>
<div class="section"><h3 class="title">3.1.1. 第一階段：UEFI</h3>
<ul><li><p>啟動管理器 &amp; 韌體</p></li><li>NVRAM</li></ul>
</div></div></div>
<div class="navfooter">下一頁</div></body></html>"""

ROFF = r""".\" Copyright and a comment line
.TH LS 1 2022 "GNU coreutils 9.1" "User Commands"
.de XX
never shown
..
.SH NAME
ls \- list directory contents
.SH SYNOPSIS
.B ls
[\fI\,OPTION\/\fR]... [\fIFILE\fR]...
.SH DESCRIPTION
.PP
List information about the FILEs (the current directory by default).\" a comment
Sort entries \(em alphabetically \(lqby default\(rq.
.TP
\fB\-a\fR, \fB\-\-all\fR
do not ignore entries starting with .
.BR dircolors (1)
and
.IR "a phrase" ,
a line that goes \
on.
.TS
l l.
Name	Value
T{
long cell
T}	x
.TE
.nf
line one
line two
.fi
"""


def test_html_sections():
    sections = quality.html_sections(HTML)
    assert [title for title, _ in sections] == ["系統初始化", "啓動過程概述", "第一階段：UEFI"]
    intro, stages, uefi = (body for _, body in sections)
    # the table of contents and the navigation left out; a wrapped line one line again
    assert intro == "作爲系統管理員，粗略地瞭解 Debian 系統的啓動和配置方式是明智的。"
    # a section's own text only; inline markup joined; preformatted lines kept
    assert stages.splitlines() == [
        "典型的啓動過程像是一個四級的火箭。",
        "$ ls -l",
        "# apt-get install foo",
    ]
    assert uefi.splitlines() == ["啟動管理器 & 韌體", "NVRAM"]


def test_man_text():
    title, body = quality.man_text(ROFF)
    assert title == "list directory contents"
    lines = body.splitlines()
    assert lines[:4] == ["NAME", "ls - list directory contents", "", "SYNOPSIS"]
    assert "ls [OPTION]... [FILE]..." in lines
    assert (
        "List information about the FILEs (the current directory by default). "
        "Sort entries \u2014 alphabetically \u201cby default\u201d." in lines
    )
    at = lines.index("-a, --all")  # a .TP tag: a line of its own
    assert lines[at + 1] == (
        "do not ignore entries starting with . dircolors(1) and a phrase, a line that goes on."
    )
    assert lines[at + 2 : at + 5] == ["Name Value", "long cell", "x"]  # a table, row by row
    assert lines[-2:] == ["line one", "line two"]
    assert "never shown" not in body and "comment" not in body and "\\" not in body


def test_man_text_pointer_and_translated_name():
    assert quality.man_text(".so man3/other.3\n") is None
    title, body = quality.man_text(
        ".TH LS 1\n.SH 名稱\nls \\- 列出目錄內容\n.SH 描述\n列出資訊。\n"
    )
    assert title == "列出目錄內容"
    assert body.splitlines() == ["名稱", "ls - 列出目錄內容", "", "描述", "列出資訊。"]


def test_missing_package_names_the_make_target():
    with pytest.raises(quality.MissingData, match="make bench-quality-data") as caught:
        quality.package_versions(["newsbrief-no-such-package"])
    assert "newsbrief-no-such-package" in str(caught.value)


# A tiny corpus: Chinese briefs with Taiwan vocabulary (軟體, 網路, 晶片, 資料庫), English ones.
ZH = [
    (
        "網路軟體的安裝方法",
        "本節說明如何安裝網路軟體套件，並設定防火牆與代理伺服器，讓系統管理員遠端管理主機。",
    ),
    (
        "晶片設計與驗證流程",
        "晶片設計工程師使用模擬軟體驗證邏輯電路，再交給晶圓代工廠量產，整個流程需要數個月。",
    ),
    (
        "資料庫備份策略",
        "定期備份資料庫可以避免硬碟故障造成的損失，建議每天使用排程工具自動執行備份指令。",
    ),
    (
        "行動電話的電池續航",
        "新款行動電話採用高密度電池與省電晶片，待機時間比上一代延長三成，充電速度也更快。",
    ),
    (
        "印表機驅動程式設定",
        "在系統中新增印表機時，需要先安裝對應的驅動程式，再從控制台選擇預設的紙張大小。",
    ),
    (
        "伺服器的記憶體管理",
        "伺服器作業系統會將閒置的記憶體用於磁碟快取，程式需要時再釋放，讓整體效能更好。",
    ),
]
EN = [
    ("list directory contents", "List information about the files in the current directory, sorted alphabetically unless a sort option is given."),  # noqa: E501
    ("copy files and directories", "Copy the source file to the destination, or copy several source files into an existing directory recursively."),  # noqa: E501
    ("configure the network interface", "The interfaces file describes the network interfaces available on the system and how to activate them at boot."),  # noqa: E501
    ("schedule periodic jobs", "The cron daemon runs scheduled commands at the times given in each crontab file, mailing any output to the owner."),  # noqa: E501
    ("compress and archive files", "The tar program stores many files together in a single archive, optionally compressed with gzip or xz."),  # noqa: E501
    ("manage kernel modules", "Load and remove kernel modules from the running kernel; dependencies between modules are resolved automatically."),  # noqa: E501
]  # fmt: skip


def tiny_corpus() -> list[Item]:
    return [Item(f"zh:{i}", "zh-hant", t, b) for i, (t, b) in enumerate(ZH)] + [
        Item(f"en:{i}", "en", t, b) for i, (t, b) in enumerate(EN)
    ]


def test_queries_kinds_script_and_determinism():
    items = tiny_corpus()
    queries = quality.build_queries(items, 3, seed=1)
    assert queries == quality.build_queries(items, 3, seed=1)
    assert queries != quality.build_queries(items, 3, seed=2)
    kinds = {(q.language, q.kind) for q in queries}
    assert kinds == {(lang, kind) for lang in quality.LANGUAGES for kind in quality.KINDS}
    for q in queries:
        item = items[q.target]
        assert item.language == q.language
        assert q.text == " ".join(q.text.split()) and len(q.text.split()) == len(q.words) >= 2
        assert all(w in item.text for w in q.words)  # drawn from its own item
        if q.language == "zh-hant":
            assert q.text == quality.tw2sp(" ".join(q.words))
            typed = " ".join(q.words)
            assert q.regional == (quality.tw2sp(typed) != quality.t2s(typed))
        else:
            assert q.text == " ".join(q.words) and not q.regional
        if q.kind == "title":
            assert " ".join(q.words).replace(" ", "") in item.title.replace(" ", "")
        if q.kind == "fragment" and q.language == "zh-hant":
            fragment = q.words[0]
            assert len(fragment) == 2
            assert any(fragment in w and len(w) >= 3 for w in quality.zh_words(item.body))
        if q.kind == "fragment" and q.language == "en":
            assert q.words[1] in item.title.split() and q.words[0] in item.body
    zh = [q for q in queries if q.language == "zh-hant"]
    assert not any(c in q.text for q in zh for c in "網軟體資庫語設")  # typed in Simplified


def test_regional_flag_and_mainland_vocabulary():
    assert quality.tw2sp("網路 軟體 晶片") == "网络 软件 芯片"
    assert quality.t2s("網路 軟體 晶片") == "网路 软体 晶片"
    items = [Item("zh:0", "zh-hant", "網路軟體", "網路軟體 " * 10), *tiny_corpus()[1:]]
    queries = [q for q in quality.build_queries(items, 5) if q.target == 0 and q.kind == "title"]
    assert queries == [Query("zh-hant", "title", "网络 软件", 0, ("網路", "軟體"), True)]


def test_ambiguous_queries_are_left_out(monkeypatch):
    # every phrase of these titles is in all four items
    items = [Item(f"en:{i}", "en", "shared kernel title", f"Body {i} of shared kernel title.")
             for i in range(4)]  # fmt: skip
    monkeypatch.setattr(quality, "MAX_MATCHING", 3)
    assert [q for q in quality.build_queries(items, 5) if q.kind == "title"] == []
    monkeypatch.setattr(quality, "MAX_MATCHING", 4)
    assert len([q for q in quality.build_queries(items, 5) if q.kind == "title"]) == 4


def test_baseline_tokens_and_folding():
    text = quality.baseline_fold("ＴＳＭＣ 的晶片 Network 網路")
    assert text == "tsmc 的芯片 network 网络"
    assert quality.bigram_tokens(text) == ["tsmc", "的芯", "芯片", "network", "网络"]
    assert quality.bigram_tokens("a 字 b") == ["a", "字", "b"]
    assert quality.jieba_tokens("tsmc 的芯片") == ["tsmc", "的", "芯片"]
    assert quality.Fts5TrigramEngine.match('a "b c') == '"a" OR """b" OR "c"'


def test_metrics_on_hand_made_rankings():
    assert quality.rank_of(7, [3, 7, 9]) == 2
    assert quality.rank_of(7, []) is None
    assert quality.rank_of(7, [*range(100, 110), 7]) is None  # 11th: outside the top 10
    results = [
        (1, 10),  # found first
        (2, 10),  # second
        (4, 5),  # fourth
        (None, 10),  # not in the top 10
        (None, 0),  # nothing found
    ]
    assert quality.metrics(results) == {
        "queries": 5,
        "mrr10": round((1 + 1 / 2 + 1 / 4) / 5, 4),
        "s1": 0.2,
        "s10": 0.6,
        "zero": 0.2,
    }
    assert quality.metrics([])["mrr10"] is None


def test_subsets():
    queries = [
        Query("zh-hant", "title", "a b", 0, ("a", "b"), True),
        Query("zh-hant", "body", "c d", 1, ("c", "d")),
        Query("en", "fragment", "e f", 2, ("e", "f")),
    ]
    assert quality.subsets(queries, "zh-hant") == {
        "title": [0], "body": [1], "fragment": [], "regional": [0], "all": [0, 1],
    }  # fmt: skip
    assert quality.subsets(queries, "en")["all"] == [2]
    assert "regional" not in quality.subsets(queries, "en")


def test_markdown_literal_keeps_text():
    from newsbrief.briefs.rendering import render_body

    text = "#include <stdio.h> and *ptr, file_name_x [a] & `cmd` \\n"
    assert quality.markdown_literal(text) != text
    rendered = render_body(quality.markdown_literal(text))
    import html as h

    from django.utils.html import strip_tags

    assert h.unescape(strip_tags(rendered)).strip() == text


@pytest.fixture
def no_backends():
    from newsbrief.search.backends import reset_backends

    yield
    reset_backends()


def test_whole_run_on_a_tiny_corpus(tmp_path, django_db_blocker, no_backends):
    options = quality.Options(queries=3, workdir=tmp_path, progress=False, jobs=1)
    with django_db_blocker.unblock():
        figures = quality.run(options, log=lambda m: None, items=tiny_corpus())
    assert figures["corpus"]["items"] == {"zh-hant": 6, "en": 6}
    assert (tmp_path / f"quality-{figures['corpus']['key']}.sqlite3").exists()
    for language in quality.LANGUAGES:
        rows = figures["results"][language]
        assert set(rows) >= {*quality.KINDS, "all"}
        for subset, row in rows.items():
            assert set(row) == set(quality.ENGINES)
            for cell in row.values():
                assert cell["queries"] == rows[subset]["newsbrief"]["queries"]
                if cell["queries"]:
                    assert 0 <= cell["s1"] <= cell["mrr10"] <= cell["s10"] <= 1
                    assert 0 <= cell["zero"] <= 1 - cell["s10"]
        assert rows["all"]["newsbrief"]["queries"] == 9
        for engine in ("bm25s-bigrams", "bm25s-jieba"):
            assert rows["all"][engine]["s10"] >= 0.5, (language, engine)
    # every query is made of its item's words: newsbrief finds the item unless the query's
    # vocabulary is the mainland's (today's search code folds script, not vocabulary)
    plain = [q for q in figures["queries"] if not q["regional"]]
    assert len(plain) >= 12
    assert all(q["ranks"]["newsbrief"] is not None for q in plain), plain
    assert figures["ratios"]["zh-hant"]["best_baseline"] in quality.BASELINES
    assert figures["ratios"]["zh-hant"]["mrr10_ratio"] > 0
    assert set(figures["targets_met"]) == {
        "zh MRR@10 >= 1.05x best baseline",
        "zh zero-result rate <= 1%",
    }
    assert len(figures["queries"]) == 18
    assert all(set(q["ranks"]) == set(quality.ENGINES) for q in figures["queries"])
    report = quality.report(figures)
    for expected in (*quality.ENGINES, "MRR@10", "success@1", "zero results", "regional"):
        assert expected in report
    json.dumps(figures)  # all of it serializable

    # a second run finds its briefs already loaded
    with django_db_blocker.unblock():
        again = quality.run(options, log=lambda m: None, items=tiny_corpus())
    assert again["results"] == figures["results"]


def test_command_names_the_make_target(tmp_path, django_db_blocker, monkeypatch):
    monkeypatch.setattr(quality, "PACKAGES", {"zh-hant": ("newsbrief-no-such-package",)})
    with django_db_blocker.unblock(), pytest.raises(CommandError, match="bench-quality-data"):
        call_command(
            "bench", "search", "--quality", "--workdir", str(tmp_path), "--no-progress",
            stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
