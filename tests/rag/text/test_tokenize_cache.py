"""jieba's dictionary cache read in one piece gives jieba exactly the dictionary its own loading gives."""

from __future__ import annotations

import jieba

from rag.text.tokenize import _load_dictionary


def test_the_cache_read_in_one_piece_equals_jiebas_own_loading_and_a_damaged_one_is_rebuilt(tmp_path) -> None:
    own = jieba.Tokenizer()
    own.tmp_dir = str(tmp_path)
    own.initialize()  # jieba builds the dictionary and writes its cache into tmp_path
    (cache,) = tmp_path.glob("jieba*.cache")

    ours = jieba.Tokenizer()
    ours.tmp_dir = str(tmp_path)
    _load_dictionary(ours)
    assert ours.initialized and ours.total == own.total and ours.FREQ == own.FREQ
    assert ours.lcut("香港食品產業園") == own.lcut("香港食品產業園")

    cache.write_bytes(b"not a marshal file")
    damaged = jieba.Tokenizer()
    damaged.tmp_dir = str(tmp_path)
    _load_dictionary(damaged)  # falls back to jieba, which rebuilds the dictionary and the cache
    assert damaged.initialized and damaged.FREQ == own.FREQ
