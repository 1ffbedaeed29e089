#pragma once

#include <QHashFunctions>
#include <QString>

#include <cstring>
#include <string>
#include <vector>

namespace spanscope {

// Hands out one shared QString per distinct short UTF-8 string (attribute keys, span names, values
// such as "chat" or "openai"), which saves a conversion and an allocation per occurrence and lets
// the millions of copies downstream share storage. Bounded, so unique values cannot grow it
// without limit: once full it only answers from what it has.
//
// A flat open-addressing table over the strings' bytes (kept in one buffer): a lookup is one hash
// of the bytes as they are and usually one probe, with no key copied (the importers call it for
// every key and short value of a file).
class StringInterner
{
public:
    explicit StringInterner(size_t maxLength, size_t maxEntries = 16384)
        : m_maxLength(maxLength), m_maxEntries(maxEntries) {}

    QString get(const char *data, size_t size)
    {
        if (size > m_maxLength)
            return QString::fromUtf8(data, qsizetype(size));
        if (m_slots.empty())
            m_slots.resize(InitialSlots);
        const size_t hash = qHashBits(data, size, Seed);
        const size_t mask = m_slots.size() - 1;
        size_t i = hash & mask;
        for (;; i = (i + 1) & mask) {
            const Slot &slot = m_slots[i];
            if (!slot.used)
                break;
            if (slot.hash == hash && slot.size == size && std::memcmp(m_bytes.data() + slot.offset, data, size) == 0)
                return slot.value;
        }
        QString s = QString::fromUtf8(data, qsizetype(size));
        if (m_count < m_maxEntries) {
            Slot &slot = m_slots[i];
            slot = Slot{hash, m_bytes.size(), size, true, s};
            m_bytes.insert(m_bytes.end(), data, data + size);
            if (++m_count * 2 > m_slots.size())
                grow();
        }
        return s;
    }
    QString get(const std::string &s) { return get(s.data(), s.size()); }

private:
    static constexpr size_t InitialSlots = 256;  // a power of two
    static constexpr size_t Seed = 0x5bd1e995;

    struct Slot {
        size_t hash = 0;
        size_t offset = 0;  // in m_bytes
        size_t size = 0;
        bool used = false;
        QString value;
    };

    void grow()
    {
        std::vector<Slot> old(m_slots.size() * 2);
        old.swap(m_slots);
        const size_t mask = m_slots.size() - 1;
        for (Slot &slot : old) {
            if (!slot.used)
                continue;
            size_t i = slot.hash & mask;
            while (m_slots[i].used)
                i = (i + 1) & mask;
            m_slots[i] = std::move(slot);
        }
    }

    std::vector<Slot> m_slots;
    std::vector<char> m_bytes;
    size_t m_count = 0;
    size_t m_maxLength;
    size_t m_maxEntries;
};

} // namespace spanscope
