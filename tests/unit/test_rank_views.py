"""How the related-page ranking weighs a thread's views: its question, body and answers."""

from __future__ import annotations

from kbgen.model import Post, Thread
from kbgen.rank import RankSettings, RelatednessModel

STORY = "The invoice shows the yearly plan charged twice after the upgrade from Starter to Growth."


def _thread(slug: str, title: str, body: str, answers: tuple[str, ...] = ()) -> Thread:
    return Thread(
        path=f"community/billing/{slug}.md", category="billing", slug=slug, title=title, body=body, body_line=1,
        author="sam", date="2026-10-11", answers=tuple(Post(author="ana", date="2026-10-12", body=text) for text in answers),
    )


def test_an_answer_counts_as_much_as_the_body():
    asked = _thread("asked", "Double charge on my card", STORY)
    told_in_body = _thread("in-body", "Billing question", STORY)
    told_in_answer = _thread("in-answer", "Billing question", "", (STORY,))
    unrelated = _thread("unrelated", "Export a report", "Reports export to CSV from the dashboard menu.")
    documents = [asked, told_in_answer, told_in_body, unrelated]
    model = RelatednessModel(RankSettings(questions=False, topics=False)).fit(documents)
    lexical = model.signal_scores([model.position_[asked.path]])["lexical"][0]
    in_body, in_answer = (lexical[model.position_[path]] for path in (told_in_body.path, told_in_answer.path))
    assert in_answer > 0.5 and abs(in_answer - in_body) < 1e-5
    assert lexical[model.position_[unrelated.path]] < 0.1

