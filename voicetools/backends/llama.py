"""`LlamaLLM`: a local GGUF model through llama-cpp-python, the default offline brain.

`llama_cpp` is imported (through `llama_cpu`) only when an instance is created, so the rest of
voicetools starts without it; a missing package is a `BackendError` with the install command.
Models load without llama.cpp's extra buffer types unless $VOICETOOLS_LLAMA_EXTRA_BUFTS turns
them on (`extra_bufts=`), since their AMX weight repacking crashes (see `llama_cpu`).

Prompt reuse: `Llama.generate` compares a new prompt's tokens with the tokens evaluated last
and keeps the longest common prefix in the KV cache (llama_cpp/llama.py, "Check for kv cache
prefix match"), so evaluating the session's system prefix once (`warm`) makes every later turn
pay only for its new tokens, as long as nothing else ran in between. `warm` goes through the
same `generate` path and stops before the first token is evaluated.

Grammars: `LlamaGrammar.from_string` only stores the text; llama.cpp parses it when a sampler
is built, and a grammar that does not parse would give a NULL sampler. So each grammar is
parsed once here (`check_grammar`) against the model's vocabulary, and cached by its text.
One stream at a time: exhaust or close a stream before starting the next.

Scoring (`score_continuations`): the prompt is evaluated through the same prefix reuse as
`generate`, then the last token's logits give the first token of every continuation at once;
only continuations that share a first token need one more one-token evaluation each (a trie
walk), so choosing among "reply" and a few function names costs about one first token.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from voicetools.backends.base import BaseLLM, Request
from voicetools.backends.llama_cpu import extra_bufts_wanted, import_llama_cpp, llama_class
from voicetools.backends.models import check_gguf
from voicetools.errors import BackendError


class LlamaLLM(BaseLLM):
    """A GGUF model loaded in this process."""

    label = "llama.cpp"

    def __init__(
        self,
        model_path: str | Path,
        *,
        n_ctx: int = 4096,
        n_threads: int = 2,
        n_batch: int = 512,
        seed: int = 0,
        verbose: bool = False,
        extra_bufts: bool | None = None,
        **llama_options: Any,
    ) -> None:
        super().__init__()
        path = check_gguf(Path(model_path), str(model_path))
        self.extra_bufts = extra_bufts_wanted() if extra_bufts is None else extra_bufts
        """Whether llama.cpp may repack weights into extra buffer types (see `llama_cpu`)."""
        self._llama_cpp = import_llama_cpp()
        start = time.perf_counter()
        try:
            self.model = llama_class(self._llama_cpp)(
                str(path),
                extra_bufts=self.extra_bufts,
                n_ctx=n_ctx,
                n_threads=n_threads,
                n_threads_batch=n_threads,
                n_batch=n_batch,
                seed=seed,
                verbose=verbose,
                **llama_options,
            )
        except (ValueError, RuntimeError, OSError) as exc:
            raise BackendError(f"cannot load model {path}: {exc}") from None
        self.load_s = time.perf_counter() - start
        """Seconds the model took to load."""
        self.path = path
        self._grammars: dict[str, Any] = {}

    def check_grammar(self, text: str) -> Any:
        """The `LlamaGrammar` for `text`, parsed once by llama.cpp; `BackendError` if invalid."""
        cached = self._grammars.get(text)
        if cached is not None:
            return cached
        lib = self._llama_cpp
        sampler = lib.llama_sampler_init_grammar(
            self.model._model.vocab, text.encode("utf-8"), b"root"
        )
        if not sampler:
            raise BackendError("the grammar does not parse in llama.cpp (see its log above)")
        lib.llama_sampler_free(sampler)
        grammar = lib.LlamaGrammar.from_string(text, verbose=False)
        self._grammars[text] = grammar
        return grammar

    def tokens(self, text: str) -> list[int]:
        """`text` as the completion path tokenizes a prompt (special tokens parsed)."""
        bos = [self.model.token_bos()] if self.model._model.add_bos_token() else []
        return bos + self.model.tokenize(text.encode("utf-8"), add_bos=False, special=True)

    def _stream_impl(self, request: Request) -> Iterator[str]:
        grammar = self.check_grammar(request.grammar) if request.grammar else None
        chunks = self.model.create_completion(
            request.prompt,
            max_tokens=request.max_tokens,
            temperature=request.temperature,
            repeat_penalty=1.0,
            stop=list(request.stop) or None,
            seed=request.seed,
            grammar=grammar,
            stream=True,
        )
        for chunk in chunks:
            text = chunk["choices"][0]["text"]
            if text:
                yield text

    def score_continuations(self, prompt: str, continuations: Sequence[str]) -> list[float]:
        """See `voicetools.backends.base.ScoresContinuations`."""
        with self._translated():
            # special tokens parsed, so "<|im_end|>" is the end-of-turn token, not its letters
            options = [
                self.model.tokenize(c.encode("utf-8"), add_bos=False, special=True)
                for c in continuations
            ]
            scores = [0.0] * len(options)
            base = self.tokens(prompt)
            self._walk(base, 0, options, list(range(len(options))), scores)
            self.model._requires_eval = True  # our decodes left logits generate() did not make
            return scores

    def _walk(
        self,
        prefix: list[int],
        depth: int,
        options: list[list[int]],
        members: list[int],
        scores: list[float],
    ) -> None:
        """Add the log-probability of the token at this depth to each member's score."""
        import numpy as np

        logits = self._evaluate(prefix)
        shifted = logits - logits.max()
        logprobs = shifted - np.log(np.exp(shifted).sum())
        groups: dict[int, list[int]] = {}
        for i in members:
            if depth < len(options[i]):
                groups.setdefault(options[i][depth], []).append(i)
        for token, group in groups.items():
            for i in group:
                scores[i] += float(logprobs[token])
            if len(group) > 1 and any(depth + 1 < len(options[i]) for i in group):
                self._walk([*prefix, token], depth + 1, options, group, scores)

    def _evaluate(self, tokens: list[int]) -> Any:
        """Logits after `tokens`, reusing the KV cache for the prefix already evaluated."""
        import numpy as np

        model = self.model
        cached = model.input_ids[: model.n_tokens]
        same = 0
        for have, want in zip(cached, tokens, strict=False):
            if have != want:
                break
            same += 1
        model.n_tokens = min(same, len(tokens) - 1)
        model.eval(tokens[model.n_tokens :])
        pointer = model._ctx.get_logits_ith(-1)
        return np.ctypeslib.as_array(pointer, shape=(model.n_vocab(),)).copy()

    def _warm_impl(self, prefix: str) -> None:
        tokens = self.tokens(prefix)
        if not tokens:
            return
        # generate() reuses the cached common prefix, evaluates the rest, then samples one
        # token; stopping there leaves exactly `prefix` in the KV cache.
        generator = self.model.generate(tokens, temp=0.0, repeat_penalty=1.0)
        try:
            next(generator)
        finally:
            generator.close()
