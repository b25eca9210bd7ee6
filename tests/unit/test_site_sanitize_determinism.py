"""Sanitized community HTML is the same in every process, and kbgen alone sets an image's loading and referrer policy."""

from __future__ import annotations

import os
import subprocess
import sys

from kbgen.site.sanitize import sanitize_community_html

IMAGE = '<p><img src="https://x.example/a.png" alt="a"> and <img alt="b" src="https://x.example/b.png" width="20"></p>'
EXPECTED = (
    '<p><img src="https://x.example/a.png" alt="a" loading="lazy" referrerpolicy="no-referrer"> and '
    '<img alt="b" src="https://x.example/b.png" width="20" loading="lazy" referrerpolicy="no-referrer"></p>'
)
# nh3 used to order added attributes by a hash map seeded per process: 2 processes in 3 agreed.
PROCESSES = 12
PRINT_SANITIZED = "import sys; from kbgen.site.sanitize import sanitize_community_html; sys.stdout.write(sanitize_community_html(sys.argv[1]))"


def test_sanitized_image_has_loading_and_referrer_policy_in_a_fixed_order():
    assert sanitize_community_html(IMAGE) == EXPECTED


def test_sanitized_image_is_identical_across_processes_and_hash_seeds():
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", PRINT_SANITIZED, IMAGE],
            env={**os.environ, "PYTHONHASHSEED": str(seed)}, stdout=subprocess.PIPE, text=True,
        )
        for seed in range(PROCESSES)
    ]
    outputs = {run.communicate(timeout=60)[0] for run in runs}
    assert all(run.returncode == 0 for run in runs)
    assert outputs == {EXPECTED}


def test_post_cannot_set_its_own_loading_or_referrer_policy():
    spoofed = sanitize_community_html('<img src="https://x.example/a.png" loading="eager" referrerpolicy="unsafe-url" alt="a">')
    assert spoofed == '<img src="https://x.example/a.png" alt="a" loading="lazy" referrerpolicy="no-referrer">'


def test_sanitizing_twice_changes_nothing():
    once = sanitize_community_html(IMAGE + '<a href="https://x.example" rel="me">link</a>')
    assert sanitize_community_html(once) == once
    assert once.count('rel="nofollow noopener noreferrer ugc"') == 1


def test_image_text_in_an_attribute_gets_no_attributes():
    assert sanitize_community_html('<a href="https://x.example" title="<img src=x>">t</a>') == (
        '<a href="https://x.example" title="&lt;img src=x&gt;" rel="nofollow noopener noreferrer ugc">t</a>'
    )
