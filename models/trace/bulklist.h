#pragma once

#include <QList>
#include <QTypeInfo>

#include <cstring>
#include <memory>
#include <vector>

namespace spanscope {

// Reorders `list` in place so that position p afterwards holds the element that was at order[p].
// `order` must be a permutation of 0 … size-1. Elements move as bytes, once each (plus one per
// cycle): for a relocatable type such as Span that is one memcpy where std::swap would run its
// forty member moves three times, and no second list of fresh pages is touched.
template<typename T>
void permuteInPlace(QList<T> &list, const std::vector<int> &order)
{
    static_assert(QTypeInfo<T>::isRelocatable, "permuteInPlace moves elements as bytes");
    const size_t n = order.size();
    Q_ASSERT(n == size_t(list.size()));
    if (n < 2)
        return;
    T *a = list.data();  // detaches
    std::vector<char> done(n, 0);
    alignas(T) unsigned char tmp[sizeof(T)];
    for (size_t start = 0; start < n; ++start) {
        if (done[start] || size_t(order[start]) == start) {
            done[start] = 1;
            continue;
        }
        std::memcpy(static_cast<void *>(tmp), static_cast<const void *>(a + start), sizeof(T));
        size_t cur = start;
        for (;;) {
            done[cur] = 1;
            const size_t src = size_t(order[cur]);
            if (src == start) {
                std::memcpy(static_cast<void *>(a + cur), static_cast<const void *>(tmp), sizeof(T));
                break;
            }
            std::memcpy(static_cast<void *>(a + cur), static_cast<const void *>(a + src), sizeof(T));
            cur = src;
        }
    }
}

} // namespace spanscope
