#pragma once

#include <QString>

#include <string>
#include <unordered_map>

namespace spanscope {

// Hands out one shared QString per distinct short UTF-8 string (attribute keys, span names, values
// such as "chat" or "openai"), which saves a conversion and an allocation per occurrence and lets
// the millions of copies downstream share storage. Bounded, so unique values cannot grow it
// without limit: once full it only answers from what it has.
class StringInterner
{
public:
    explicit StringInterner(size_t maxLength, size_t maxEntries = 16384)
        : m_maxLength(maxLength), m_maxEntries(maxEntries) {}

    QString get(const char *data, size_t size)
    {
        if (size > m_maxLength)
            return QString::fromUtf8(data, qsizetype(size));
        m_probe.assign(data, size);
        const auto it = m_table.find(m_probe);
        if (it != m_table.end())
            return it->second;
        QString s = QString::fromUtf8(data, qsizetype(size));
        if (m_table.size() < m_maxEntries)
            m_table.emplace(m_probe, s);
        return s;
    }
    QString get(const std::string &s) { return get(s.data(), s.size()); }

private:
    std::unordered_map<std::string, QString> m_table;
    std::string m_probe;
    size_t m_maxLength;
    size_t m_maxEntries;
};

} // namespace spanscope
