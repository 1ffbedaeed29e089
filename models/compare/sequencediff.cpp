#include "sequencediff.h"

#include <dtl/dtl.hpp>

namespace spanscope {

namespace {

// dtl diffs sequences of elements; ours are positions, compared through the caller's predicate.
// dtl may swap A and B internally (when A is the longer one) but always calls the comparator with
// the element of the original A first.
class PositionCompare : public dtl::Compare<int>
{
public:
    PositionCompare() = default;
    explicit PositionCompare(const detail::IndexEqual *equal) : m_equal(equal) {}
    bool impl(const int &i, const int &j) const override { return m_equal->equal(i, j); }

private:
    const detail::IndexEqual *m_equal = nullptr;
};

template <typename Diff>
QList<EditOp> runDiff(Diff &diff, int sizeA, int sizeB)
{
    // Without "huge" mode dtl reserves nothing up front but still caps its path memory; with it,
    // long inputs are handled in chunks instead of failing.
    if (qint64(sizeA) + sizeB > 20000)
        diff.enableHuge();
    diff.compose();
    QList<EditOp> ops;
    ops.reserve(std::max(sizeA, sizeB));
    for (const auto &[elem, info] : diff.getSes().getSequence()) {
        Q_UNUSED(elem);
        EditOp op;
        // dtl's indexes are 1-based.
        switch (info.type) {
        case dtl::SES_COMMON:
            op.type = EditOp::Common;
            op.a = int(info.beforeIdx - 1);
            op.b = int(info.afterIdx - 1);
            break;
        case dtl::SES_DELETE:
            op.type = EditOp::Removed;
            op.a = int(info.beforeIdx - 1);
            break;
        case dtl::SES_ADD:
            op.type = EditOp::Added;
            op.b = int(info.afterIdx - 1);
            break;
        default:
            continue;
        }
        ops.append(op);
    }
    return ops;
}

QList<EditOp> trivialScript(int sizeA, int sizeB)
{
    QList<EditOp> ops;
    for (int i = 0; i < sizeA; ++i)
        ops.append({EditOp::Removed, i, -1});
    for (int j = 0; j < sizeB; ++j)
        ops.append({EditOp::Added, -1, j});
    return ops;
}

} // namespace

namespace detail {

QList<EditOp> diffIndexed(int sizeA, int sizeB, const IndexEqual &equal)
{
    // dtl mishandles empty inputs; the answer is obvious there anyway.
    if (sizeA == 0 || sizeB == 0)
        return trivialScript(sizeA, sizeB);
    std::vector<int> a(sizeA), b(sizeB);
    for (int i = 0; i < sizeA; ++i)
        a[i] = i;
    for (int j = 0; j < sizeB; ++j)
        b[j] = j;
    dtl::Diff<int, std::vector<int>, PositionCompare> diff(a, b, PositionCompare(&equal));
    return runDiff(diff, sizeA, sizeB);
}

} // namespace detail

QList<EditOp> diffSequences(const std::vector<int> &a, const std::vector<int> &b)
{
    if (a.empty() || b.empty())
        return trivialScript(int(a.size()), int(b.size()));
    dtl::Diff<int> diff(a, b);
    return runDiff(diff, int(a.size()), int(b.size()));
}

} // namespace spanscope
