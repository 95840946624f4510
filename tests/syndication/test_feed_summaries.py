"""Each feed entry's summary: the standfirst, or else the body's first paragraph as plain text
cut at a word, shown only where its item is, and never markup."""

from __future__ import annotations

import pytest
from django.urls import reverse
from lxml import etree

from articles.syndication.feeds import SUMMARY_LENGTH, summary
from tests.syndication.test_feeds import ATOM, FEEDS, feed_url, parse

LONG = " ".join(["Harbour"] + ["officials inspected the piers on both shores overnight"] * 12)


def summaries(root: etree._Element) -> dict[str, str | None]:
    """Each entry's summary by title, as a feed reader takes it: text that it reads as HTML."""
    if root.tag == "rss":
        return {i.findtext("title"): i.findtext("description") for i in root.iter("item")}
    return {
        e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}summary") for e in root.iter(f"{ATOM}entry")
    }


@pytest.fixture
def feed_story(make_article, make_source):
    source = make_source("The Newsroom")

    def make(**fields):
        return make_article(source=source, **fields)

    return make


@pytest.mark.parametrize("name", ["rss", "atom"])
def test_a_story_without_a_standfirst_is_summarised_by_its_first_paragraph(
    client, feed_story, name
):
    feed_story(
        headline="Ferries resume",
        standfirst="",
        body="<h2>Crossings</h2><p>Ferries <strong>crossed</strong> again &amp; on time.</p>"
        "<p>Second paragraph.</p>",
    )
    root = parse(client.get(reverse(f"syndication:{name}")))
    assert summaries(root)["Ferries resume"] == "Ferries crossed again &amp; on time."


@pytest.mark.parametrize("name", ["rss", "atom"])
def test_markup_in_a_standfirst_reaches_the_reader_as_characters_not_tags(client, feed_story, name):
    feed_story(headline="Profits", standfirst="Profits <b>rose</b> <script>x()</script> 5%")
    response = client.get(reverse(f"syndication:{name}"))
    text = summaries(parse(response))["Profits"]
    # Once the reader's HTML is read, the tags are text on the screen again, as on our page.
    assert text == "Profits &lt;b&gt;rose&lt;/b&gt; &lt;script&gt;x()&lt;/script&gt; 5%"
    assert b"<script>" not in response.content


@pytest.mark.parametrize("name", FEEDS)
def test_no_hidden_item_lends_its_summary_to_a_feed(client, catalogue, name):
    response = client.get(feed_url(name, catalogue))
    assert summaries(parse(response)) == {"Visible story": "Standfirst of Visible story."}
    for article in catalogue.hidden.values():
        assert article.standfirst.encode() not in response.content
        assert b"Secret body" not in response.content


def test_a_story_with_no_standfirst_and_no_text_has_no_summary(client, feed_story):
    feed_story(headline="Empty", standfirst="  ", body="<p> </p>")
    root = parse(client.get(reverse("syndication:rss")))
    assert summaries(root)["Empty"] is None


def test_a_long_first_paragraph_is_cut_at_a_word(feed_story):
    story = feed_story(standfirst="", body=f"<p>{LONG}</p>")
    text = summary(story)
    assert text.endswith("…")
    kept = text.removesuffix("…")
    assert len(kept) <= SUMMARY_LENGTH
    assert LONG.startswith(kept)
    assert LONG[len(kept)] == " "  # cut where a word ends, not inside one
    assert len(kept) > SUMMARY_LENGTH - 60


def test_a_first_paragraph_of_one_long_word_is_cut_to_the_length(feed_story):
    story = feed_story(standfirst="", body=f"<p>{'x' * 1000}</p>")
    assert summary(story) == "x" * (SUMMARY_LENGTH - 1) + "…"


def test_a_paragraph_of_exactly_the_length_is_kept_whole(feed_story):
    text = ("word " * 60)[:SUMMARY_LENGTH]
    story = feed_story(standfirst="", body=f"<p>{text}</p>")
    assert summary(story) == text.strip()


def test_empty_paragraphs_are_passed_over_and_a_body_without_paragraphs_still_summarises(
    feed_story,
):
    assert summary(feed_story(standfirst="", body="<p></p><p><br></p><p>Then words.</p>")) == (
        "Then words."
    )
    assert summary(feed_story(standfirst="", body="<blockquote>Quoted</blockquote>")) == "Quoted"


def test_a_standfirst_is_summarised_as_written_with_its_spaces_made_one(feed_story):
    story = feed_story(standfirst="  Two\n\nlines  ", body="<p>Body.</p>")
    assert summary(story) == "Two lines"
