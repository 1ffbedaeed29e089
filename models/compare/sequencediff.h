#pragma once

#include <QList>

#include <vector>

namespace spanscope {

// One step of an edit script turning sequence A into sequence B.
struct EditOp {
    enum Type : quint8 { Common, Removed, Added };
    Type type = Common;
    int a = -1;  // index in A (Common, Removed), else -1
    int b = -1;  // index in B (Common, Added), else -1
    friend bool operator==(const EditOp &, const EditOp &) = default;
};

// Shortest edit script between two sequences of symbols (equal ints are equal elements), computed
// with libdtl's O(NP) algorithm. Indexes in A and in B both ascend along the script; common
// elements are the longest common subsequence, and among equally long ones the earliest elements
// pair first (so repeated elements pair in order).
QList<EditOp> diffSequences(const std::vector<int> &a, const std::vector<int> &b);

// The same with a custom equality (not necessarily transitive): `equal(i, j)` compares a[i], b[j].
// Cost is O((M + N) * D) calls of `equal`.
template <typename Equal>
QList<EditOp> diffSequencesBy(int sizeA, int sizeB, Equal equal);

namespace detail {
struct IndexEqual {
    virtual ~IndexEqual() = default;
    virtual bool equal(int i, int j) const = 0;
};
QList<EditOp> diffIndexed(int sizeA, int sizeB, const IndexEqual &equal);
} // namespace detail

template <typename Equal>
QList<EditOp> diffSequencesBy(int sizeA, int sizeB, Equal equal)
{
    struct Adapter final : detail::IndexEqual {
        explicit Adapter(Equal &e) : m_equal(e) {}
        bool equal(int i, int j) const override { return m_equal(i, j); }
        Equal &m_equal;
    } adapter(equal);
    return detail::diffIndexed(sizeA, sizeB, adapter);
}

} // namespace spanscope
