"""Drives the edge's OpenAI-compatible API with the official OpenAI Python client, unchanged.

Usage: openai_conformance.py BASE_URL MODEL EXPECTED_GREEDY_TEXT_FILE
Checks: a greedy completion equals the expected text (the unsplit model's); the streamed text equals it; a stop
sequence cuts it (JSON and streamed); chat streaming with usage; a stream closed after one chunk.
Prints 'openai-conformance: ok' at the end.
"""
import sys

import openai

base, model, expected_file = sys.argv[1], sys.argv[2], sys.argv[3]
expected = open(expected_file, encoding="utf-8").read()
client = openai.OpenAI(base_url=base, api_key="unused", max_retries=0, timeout=60)

c = client.completions.create(model=model, prompt="Once upon a time", max_tokens=40, temperature=0)
text = c.choices[0].text
assert text == expected, (text, expected)
assert c.usage.completion_tokens == 40 and c.usage.prompt_tokens == len("Once upon a time"), c.usage
assert c.choices[0].finish_reason == "length"

streamed = "".join(
    ch.choices[0].text
    for ch in client.completions.create(
        model=model, prompt="Once upon a time", max_tokens=40, temperature=0, stream=True)
    if ch.choices)
assert streamed == expected, (streamed, expected)

# an ASCII letter decodes the same at every length (a multi-byte character can change as bytes arrive)
k = 3
while not (text[k].isascii() and text[k].isalpha()):
    k += 1
stop = text[k]
k = text.find(stop)
s = client.completions.create(model=model, prompt="Once upon a time", max_tokens=40, temperature=0, stop=[stop])
assert s.choices[0].text == text[:k] and s.choices[0].finish_reason == "stop", (s.choices[0], k)
streamed_stop = "".join(
    ch.choices[0].text
    for ch in client.completions.create(
        model=model, prompt="Once upon a time", max_tokens=40, temperature=0, stop=stop, stream=True)
    if ch.choices)
assert streamed_stop == text[:k], (streamed_stop, text[:k])

usage = None
parts = []
for ch in client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": "Hi"}], max_tokens=8, temperature=0, stream=True,
        stream_options={"include_usage": True}):
    parts.extend(c.delta.content or "" for c in ch.choices)
    usage = ch.usage or usage
assert usage is not None and usage.completion_tokens == 8, usage

stream = client.completions.create(model=model, prompt="Once upon a time", max_tokens=1000, stream=True)
next(iter(stream))
stream.close()

print("openai-conformance: ok")
