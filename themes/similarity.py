"""How alike two problems are, and which problems gather around one cause.

Words, not characters: jieba (its dictionary ships inside the package, nothing is downloaded)
cuts a problem into words, TF-IDF weighs each word by how rare it is among the problems compared
(so 企业, 请求 and 协调 weigh almost nothing and 变压器, 稳岗返还 and 高新区 weigh much), and the
cosine of two problems' vectors is their similarity, 0 to 1. Title words count twice: the title
is where an enterprise names its problem.

Grouping is done in two steps. Loose links first: each problem to those of its k nearest
neighbours above a low threshold whose k nearest include it too (mutual links keep one ambiguous
text from bridging two causes), computed as a sparse matrix product in blocks so that 100,000
problems need no dense matrix; the connected groups are neighbourhoods. Then average-linkage
clustering inside each neighbourhood (scikit-learn, on the pairwise distances) cuts it where two
parts are, on average, less alike than CUT: a park's transformer and another park's transformer
stay apart although they share most words.
`bench/themes.py` measures the choices on a labelled set.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

# Chosen on bench/themes.py's labelled set (pairwise precision and recall of the groups):
LOOSE = 0.15  # the least cosine of a neighbourhood link
NEIGHBOURS = 15  # k of the mutual k-nearest-neighbour links
CUT = 0.18  # the least mean similarity between two parts of one cause (average linkage)
LARGEST = 2000  # a neighbourhood larger than this is split with tighter links first
CELLS = 20_000_000  # similarities computed at a time (rows of a block × all rows): 160 MB

STOPWORDS = frozenset(
    [
        "我",
        "我们",
        "公司",
        "我公司",
        "企业",
        "贵",
        "请",
        "请求",
        "希望",
        "协调",
        "帮助",
        "解决",
        "问题",
        "反映",
        "情况",
        "目前",
        "现在",
        "已经",
        "一直",
        "没有",
        "至今",
        "相关",
        "部门",
        "政府",
        "的",
        "了",
        "是",
        "在",
        "和",
        "与",
        "及",
        "等",
        "有",
        "也",
        "都",
        "就",
        "被",
        "对",
        "给",
        "让",
        "把",
        "为",
        "这",
        "那",
        "能",
        "不",
        "还",
        "很",
        "多",
        "个",
        "月",
        "年",
        "日",
        "天",
        "万元",
        "元",
        "尽快",
        "是否",
        "如何",
        "什么",
        "哪些",
        "需要",
        "进行",
        "影响",
        "导致",
        "造成",
    ]
)
_KEEP = re.compile(r"[\u4e00-\u9fff]{1,}|[A-Za-z]{2,}")


@cache
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def words(text: str) -> list[str]:
    """The words of `text` that can tell one problem from another."""
    return [w for w in _jieba().lcut(text) if _KEEP.fullmatch(w) and w not in STOPWORDS]


def document(title: str, description: str) -> str:
    return f"{title}。{title}。{description}"


@dataclass
class Vectors:
    matrix: csr_matrix  # one L2-normalised TF-IDF row per problem

    @classmethod
    def of(cls, documents: Sequence[str], *, by: str = "words") -> Vectors:
        """TF-IDF rows of `documents`, by jieba's words or (to compare, bench/themes.py) by
        overlapping pairs of characters, which need no tokenizer."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        if by == "words":
            vectorizer = TfidfVectorizer(
                tokenizer=words, lowercase=False, token_pattern=None, sublinear_tf=True
            )
        else:
            vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(2, 2), sublinear_tf=True)
        return cls(vectorizer.fit_transform(documents).tocsr())

    def __len__(self) -> int:
        return self.matrix.shape[0]

    def nearest(
        self, row: int, k: int = 5, among: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """The k rows most like `row` (itself excluded), best first, optionally among some rows."""
        scores = (self.matrix @ self.matrix[row].T).toarray().ravel()
        scores[row] = -1.0
        if among is not None:
            mask = np.full(len(scores), -1.0)
            mask[among] = scores[among]
            scores = mask
        best = np.argsort(-scores)[:k]
        return [(int(i), float(scores[i])) for i in best if scores[i] > 0]

    def groups(
        self, threshold: float = LOOSE, k: int = NEIGHBOURS, cut: float = CUT
    ) -> list[list[int]]:
        """Rows of one cause: loose mutual links find the neighbourhoods, average linkage inside
        each cuts them where the mean similarity of two parts falls under `cut`."""
        found: list[list[int]] = []
        for component in self._components(threshold, k):
            found += self._split(component, threshold, k, cut)
        return sorted(found, key=len, reverse=True)

    def _components(self, threshold: float, k: int) -> list[list[int]]:
        n = len(self)
        rows: list[int] = []
        cols: list[int] = []
        step = max(1, CELLS // n)
        for start in range(0, n, step):
            block = (self.matrix[start : start + step] @ self.matrix.T).toarray()
            for offset, scores in enumerate(block):
                scores[start + offset] = 0.0
                top = np.argpartition(-scores, k)[:k] if n > k + 1 else np.arange(n)
                for j in top:
                    if scores[j] >= threshold:
                        rows.append(start + offset)
                        cols.append(int(j))
        links = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
        _count, labels = connected_components(links.multiply(links.T), directed=False)
        members: dict[int, list[int]] = {}
        for row, label in enumerate(labels):
            members.setdefault(int(label), []).append(row)
        return [rows for rows in members.values() if len(rows) > 1]

    def _split(self, rows: list[int], threshold: float, k: int, cut: float) -> list[list[int]]:
        if len(rows) < 3:
            return [rows]
        if len(rows) > LARGEST:  # too many for a pairwise matrix: tighten the links inside it
            inner = Vectors(self.matrix[rows])
            return [
                [rows[i] for i in part]
                for component in inner._components(threshold + 0.05, k)
                for part in inner._split(component, threshold + 0.05, k, cut)
            ]
        from sklearn.cluster import AgglomerativeClustering

        sub = self.matrix[rows]
        distances = np.clip(1.0 - (sub @ sub.T).toarray(), 0.0, 1.0)
        labels = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1.0 - cut
        ).fit_predict(distances)
        parts: dict[int, list[int]] = {}
        for row, label in zip(rows, labels, strict=True):
            parts.setdefault(int(label), []).append(row)
        return [part for part in parts.values() if len(part) > 1]

    def summary(self, rows: Sequence[int]) -> tuple[int, float]:
        """A group's most central row (the most like the others) and its score, the mean
        similarity of its pairs; one pairwise product for both."""
        sims = (self.matrix[list(rows)] @ self.matrix[list(rows)].T).toarray()
        n = len(rows)
        central = rows[int(np.argmax(sims.sum(axis=1)))]
        return central, float((sims.sum() - n) / (n * (n - 1))) if n > 1 else 0.0
