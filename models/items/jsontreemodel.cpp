#include "jsontreemodel.h"

#include "kindpalette.h"

#include <QColor>
#include <QFont>

#include <algorithm>

namespace spanscope {

namespace {

// Characters of a value shown in a cell, and in a tooltip.
constexpr qsizetype kCellChars = 240;
constexpr qsizetype kToolTipChars = 2000;
constexpr int kMaxIndentLevels = 32;

bool isSpace(QChar c)
{
    const char16_t u = c.unicode();
    return u == u' ' || u == u'\n' || u == u'\r' || u == u'\t';
}

bool isHex(char16_t u)
{
    return (u >= u'0' && u <= u'9') || (u >= u'a' && u <= u'f') || (u >= u'A' && u <= u'F');
}

int hexValue(char16_t u)
{
    if (u >= u'0' && u <= u'9')
        return u - u'0';
    if (u >= u'a' && u <= u'f')
        return u - u'a' + 10;
    return u - u'A' + 10;
}

// Index of the first non-whitespace character at or after `i`.
qsizetype skipSpace(QStringView s, qsizetype i)
{
    while (i < s.size() && isSpace(s[i]))
        ++i;
    return i;
}

// `i` at an opening quote of a (validated) string token: one past its closing quote.
qsizetype skipString(QStringView s, qsizetype i)
{
    ++i;
    while (i < s.size()) {
        const char16_t u = s[i].unicode();
        if (u == u'"')
            return i + 1;
        i += (u == u'\\') ? 2 : 1;
    }
    return s.size();
}

// `i` at the first character of a (validated) value: one past its last character.
qsizetype skipValue(QStringView s, qsizetype i)
{
    if (i >= s.size())
        return i;
    const char16_t first = s[i].unicode();
    if (first == u'"')
        return skipString(s, i);
    if (first == u'{' || first == u'[') {
        qsizetype depth = 0;
        while (i < s.size()) {
            const char16_t u = s[i].unicode();
            if (u == u'"') {
                i = skipString(s, i);
                continue;
            }
            if (u == u'{' || u == u'[') {
                ++depth;
            } else if (u == u'}' || u == u']') {
                if (--depth == 0)
                    return i + 1;
            }
            ++i;
        }
        return s.size();
    }
    while (i < s.size()) {
        const char16_t u = s[i].unicode();
        if (u == u',' || u == u'}' || u == u']' || isSpace(s[i]))
            break;
        ++i;
    }
    return i;
}

// Validating scanners: return the index one past the token, or -1.
qsizetype scanString(QStringView s, qsizetype i)
{
    ++i; // opening quote
    while (i < s.size()) {
        const char16_t u = s[i].unicode();
        if (u == u'"')
            return i + 1;
        if (u < 0x20)
            return -1;
        if (u == u'\\') {
            if (i + 1 >= s.size())
                return -1;
            const char16_t e = s[i + 1].unicode();
            if (e == u'u') {
                if (i + 5 >= s.size())
                    return -1;
                for (int k = 2; k < 6; ++k) {
                    if (!isHex(s[i + k].unicode()))
                        return -1;
                }
                i += 6;
                continue;
            }
            if (e != u'"' && e != u'\\' && e != u'/' && e != u'b' && e != u'f' && e != u'n' && e != u'r' && e != u't')
                return -1;
            i += 2;
            continue;
        }
        ++i;
    }
    return -1;
}

qsizetype scanNumber(QStringView s, qsizetype i)
{
    auto digit = [&](qsizetype k) { return k < s.size() && s[k] >= u'0' && s[k] <= u'9'; };
    if (i < s.size() && s[i] == u'-')
        ++i;
    if (!digit(i))
        return -1;
    if (s[i] == u'0') {
        ++i;
    } else {
        while (digit(i))
            ++i;
    }
    if (i < s.size() && s[i] == u'.') {
        ++i;
        if (!digit(i))
            return -1;
        while (digit(i))
            ++i;
    }
    if (i < s.size() && (s[i] == u'e' || s[i] == u'E')) {
        ++i;
        if (i < s.size() && (s[i] == u'+' || s[i] == u'-'))
            ++i;
        if (!digit(i))
            return -1;
        while (digit(i))
            ++i;
    }
    return i;
}

qsizetype scanLiteral(QStringView s, qsizetype i)
{
    for (QLatin1StringView word : {QLatin1StringView("true"), QLatin1StringView("false"), QLatin1StringView("null")}) {
        if (s.mid(i).startsWith(word))
            return i + word.size();
    }
    return -1;
}

JsonTreeModel::Type typeAt(QStringView s, qsizetype i)
{
    switch (i < s.size() ? s[i].unicode() : u'n') {
    case u'{': return JsonTreeModel::Type::Object;
    case u'[': return JsonTreeModel::Type::Array;
    case u'"': return JsonTreeModel::Type::String;
    case u't':
    case u'f': return JsonTreeModel::Type::Bool;
    case u'n': return JsonTreeModel::Type::Null;
    default: return JsonTreeModel::Type::Number;
    }
}

// One line for a cell: control characters shown as their JSON escapes.
QString singleLine(QStringView text, qsizetype maxChars)
{
    QString out;
    out.reserve(std::min(text.size(), maxChars) + 8);
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (out.size() >= maxChars) {
            out += QChar(0x2026);
            break;
        }
        const char16_t u = text[i].unicode();
        switch (u) {
        case u'\n': out += QLatin1StringView("\\n"); break;
        case u'\r': out += QLatin1StringView("\\r"); break;
        case u'\t': out += QLatin1StringView("\\t"); break;
        default:
            if (u < 0x20)
                out += QStringLiteral("\\u%1").arg(int(u), 4, 16, QLatin1Char('0'));
            else
                out += text[i];
        }
    }
    return out;
}

QColor stringColor() { return KindPalette::isDark() ? QColor(0x7ee787) : QColor(0x1a7f37); }
QColor numberColor() { return KindPalette::isDark() ? QColor(0x79c0ff) : QColor(0x0550ae); }
QColor keywordColor() { return KindPalette::isDark() ? QColor(0xd2a8ff) : QColor(0x8250df); }

bool isIdentifier(QStringView key)
{
    if (key.isEmpty())
        return false;
    for (qsizetype i = 0; i < key.size(); ++i) {
        const QChar c = key[i];
        const bool ok = c == u'_' || (c.unicode() < 0x80 && (c.isLetter() || (i > 0 && c.isDigit())));
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

JsonTreeModel::JsonTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

bool JsonTreeModel::isJsonContainer(QStringView s)
{
    qsizetype i = skipSpace(s, 0);
    if (i < s.size() && s[i].unicode() == 0xfeff)
        i = skipSpace(s, i + 1);
    if (i >= s.size() || (s[i] != u'{' && s[i] != u'['))
        return false;

    enum class Expect { Value, Key, AfterValue };
    std::vector<char> stack; // '{' or '['
    Expect expect = Expect::Value;
    while (true) {
        i = skipSpace(s, i);
        if (expect == Expect::AfterValue) {
            if (stack.empty())
                return i == s.size();
            if (i >= s.size())
                return false;
            const char16_t u = s[i].unicode();
            if (u == u',') {
                ++i;
                expect = stack.back() == '{' ? Expect::Key : Expect::Value;
            } else if ((u == u'}' && stack.back() == '{') || (u == u']' && stack.back() == '[')) {
                ++i;
                stack.pop_back();
            } else {
                return false;
            }
            continue;
        }
        if (i >= s.size())
            return false;
        if (expect == Expect::Key) {
            if (s[i] != u'"' || (i = scanString(s, i)) < 0)
                return false;
            i = skipSpace(s, i);
            if (i >= s.size() || s[i] != u':')
                return false;
            ++i;
            expect = Expect::Value;
            continue;
        }
        const char16_t u = s[i].unicode();
        if (u == u'{' || u == u'[') {
            const char16_t close = u == u'{' ? u'}' : u']';
            const qsizetype next = skipSpace(s, i + 1);
            if (next < s.size() && s[next] == close) {
                i = next + 1;
                expect = Expect::AfterValue;
            } else {
                stack.push_back(u == u'{' ? '{' : '[');
                i = i + 1;
                expect = u == u'{' ? Expect::Key : Expect::Value;
            }
            continue;
        }
        if (u == u'"')
            i = scanString(s, i);
        else if (u == u'-' || (u >= u'0' && u <= u'9'))
            i = scanNumber(s, i);
        else
            i = scanLiteral(s, i);
        if (i < 0)
            return false;
        expect = Expect::AfterValue;
    }
}

QString JsonTreeModel::indented(QStringView s, qsizetype maxChars, bool *truncated)
{
    if (truncated)
        *truncated = false;
    QString out;
    out.reserve(maxChars >= 0 ? std::min(maxChars, s.size() * 2) + 64 : s.size() * 2);
    int depth = 0;
    auto newline = [&] {
        out += QLatin1Char('\n');
        out += QString(std::min(depth, kMaxIndentLevels) * 2, QLatin1Char(' '));
    };
    qsizetype i = 0;
    while (i < s.size()) {
        if (maxChars >= 0 && out.size() >= maxChars) {
            if (truncated)
                *truncated = skipSpace(s, i) < s.size();
            break;
        }
        const QChar c = s[i];
        const char16_t u = c.unicode();
        if (isSpace(c) || u == 0xfeff) {
            ++i;
        } else if (u == u'"') {
            const qsizetype end = skipString(s, i);
            out += s.mid(i, end - i);
            i = end;
        } else if (u == u'{' || u == u'[') {
            const char16_t close = u == u'{' ? u'}' : u']';
            const qsizetype next = skipSpace(s, i + 1);
            if (next < s.size() && s[next] == close) {
                out += c;
                out += QChar(close);
                i = next + 1;
            } else {
                out += c;
                ++depth;
                newline();
                ++i;
            }
        } else if (u == u'}' || u == u']') {
            --depth;
            newline();
            out += c;
            ++i;
        } else if (u == u',') {
            out += c;
            newline();
            ++i;
        } else if (u == u':') {
            out += QLatin1StringView(": ");
            ++i;
        } else {
            out += c;
            ++i;
        }
    }
    return out;
}

QString JsonTreeModel::unescaped(QStringView token, qsizetype maxChars)
{
    QString out;
    qsizetype i = token.startsWith(u'"') ? 1 : 0;
    qsizetype end = token.size();
    if (end > i && token[end - 1] == u'"')
        --end;
    out.reserve(maxChars >= 0 ? std::min(end - i, maxChars) : end - i);
    while (i < end) {
        if (maxChars >= 0 && out.size() >= maxChars)
            break;
        const QChar c = token[i];
        if (c != u'\\' || i + 1 >= end) {
            out += c;
            ++i;
            continue;
        }
        const char16_t e = token[i + 1].unicode();
        switch (e) {
        case u'n': out += QLatin1Char('\n'); break;
        case u't': out += QLatin1Char('\t'); break;
        case u'r': out += QLatin1Char('\r'); break;
        case u'b': out += QChar(0x08); break;
        case u'f': out += QChar(0x0c); break;
        case u'u': {
            char16_t v = 0;
            bool ok = i + 6 <= end;
            for (int k = 2; ok && k < 6; ++k) {
                ok = isHex(token[i + k].unicode());
                if (ok)
                    v = char16_t(v * 16 + hexValue(token[i + k].unicode()));
            }
            if (ok) {
                out += QChar(v);
                i += 6;
                continue;
            }
            out += QLatin1Char('u');
            break;
        }
        default: out += QChar(e); break;
        }
        i += 2;
    }
    return out;
}

QString JsonTreeModel::typeName(Type type)
{
    switch (type) {
    case Type::Null: return QStringLiteral("null");
    case Type::Bool: return QStringLiteral("boolean");
    case Type::Number: return QStringLiteral("number");
    case Type::String: return QStringLiteral("string");
    case Type::Array: return QStringLiteral("array");
    case Type::Object: return QStringLiteral("object");
    }
    return {};
}

bool JsonTreeModel::setJson(const QString &json)
{
    beginResetModel();
    m_nodes.clear();
    m_text.clear();
    const bool ok = isJsonContainer(json);
    if (ok) {
        m_text = json;
        Node root;
        qsizetype i = skipSpace(m_text, 0);
        if (i < m_text.size() && m_text[i].unicode() == 0xfeff)
            i = skipSpace(m_text, i + 1);
        root.valueBegin = i;
        root.valueEnd = skipValue(m_text, i);
        root.type = typeAt(m_text, i);
        m_nodes.push_back(root);
    }
    endResetModel();
    return ok;
}

void JsonTreeModel::clear()
{
    beginResetModel();
    m_nodes.clear();
    m_text.clear();
    endResetModel();
}

bool JsonTreeModel::containerIsEmpty(const Node &node) const
{
    const qsizetype i = skipSpace(m_text, node.valueBegin + 1);
    return i >= node.valueEnd - 1;
}

// Scans the children of container `id` out of its text. Appending may reallocate m_nodes, so only
// indices are held across push_back.
void JsonTreeModel::materialize(int id) const
{
    if (id < 0 || size_t(id) >= m_nodes.size() || m_nodes[id].childCount >= 0)
        return;
    const Type type = m_nodes[id].type;
    if (type != Type::Object && type != Type::Array) {
        m_nodes[id].childCount = 0;
        return;
    }
    const QStringView s(m_text);
    const qsizetype end = m_nodes[id].valueEnd - 1; // the closing bracket
    qsizetype i = m_nodes[id].valueBegin + 1;
    const int first = int(m_nodes.size());
    int row = 0;
    while (true) {
        i = skipSpace(s, i);
        if (i >= end)
            break;
        Node child;
        child.parent = id;
        child.row = row;
        if (type == Type::Object) {
            child.keyBegin = i;
            child.keyEnd = skipString(s, i);
            i = skipSpace(s, child.keyEnd);
            ++i; // ':'
            i = skipSpace(s, i);
        }
        child.valueBegin = i;
        child.valueEnd = skipValue(s, i);
        child.type = typeAt(s, i);
        if (child.type != Type::Object && child.type != Type::Array)
            child.childCount = 0;
        m_nodes.push_back(child);
        ++row;
        i = skipSpace(s, child.valueEnd);
        if (i < end && s[i] == u',')
            ++i;
        else
            break;
    }
    Node &node = m_nodes[id];
    node.firstChild = row > 0 ? first : -1;
    node.childCount = row;
}

QString JsonTreeModel::keyText(const Node &node) const
{
    if (node.keyBegin < 0)
        return QString::number(node.row);
    return unescaped(QStringView(m_text).mid(node.keyBegin, node.keyEnd - node.keyBegin));
}

QString JsonTreeModel::valueText(const Node &node, qsizetype maxChars) const
{
    const QStringView token = QStringView(m_text).mid(node.valueBegin, node.valueEnd - node.valueBegin);
    if (node.type == Type::String)
        return unescaped(token, maxChars);
    return (maxChars >= 0 ? token.left(maxChars) : token).toString();
}

QString JsonTreeModel::path(int id) const
{
    QStringList parts; // innermost first
    while (id > 0) {
        const Node &node = m_nodes[id];
        if (node.keyBegin < 0) {
            parts.append(QLatin1Char('[') + QString::number(node.row) + QLatin1Char(']'));
        } else {
            const QString key = keyText(node);
            if (isIdentifier(key))
                parts.append(QLatin1Char('.') + key);
            else
                parts.append(QLatin1Char('[') + m_text.mid(node.keyBegin, node.keyEnd - node.keyBegin) + QLatin1Char(']'));
        }
        id = node.parent;
    }
    std::reverse(parts.begin(), parts.end());
    const QString joined = parts.join(QString());
    return joined.startsWith(QLatin1Char('.')) ? joined : QLatin1Char('.') + joined;
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (m_nodes.empty() || row < 0 || column < 0 || column >= ColumnCount || (parent.isValid() && parent.column() != 0))
        return {};
    const int pid = nodeId(parent);
    materialize(pid);
    const Node &p = m_nodes[pid];
    if (row >= p.childCount)
        return {};
    return createIndex(row, column, quintptr(p.firstChild + row));
}

QModelIndex JsonTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || m_nodes.empty())
        return {};
    const int pid = m_nodes[nodeId(child)].parent;
    if (pid <= 0)
        return {};
    return createIndex(m_nodes[pid].row, 0, quintptr(pid));
}

int JsonTreeModel::rowCount(const QModelIndex &parent) const
{
    if (m_nodes.empty() || (parent.isValid() && parent.column() != 0))
        return 0;
    const int id = nodeId(parent);
    materialize(id);
    return m_nodes[id].childCount;
}

int JsonTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool JsonTreeModel::hasChildren(const QModelIndex &parent) const
{
    if (m_nodes.empty() || (parent.isValid() && parent.column() != 0))
        return false;
    const Node &node = m_nodes[nodeId(parent)];
    if (node.childCount >= 0)
        return node.childCount > 0;
    return (node.type == Type::Object || node.type == Type::Array) && !containerIsEmpty(node);
}

Qt::ItemFlags JsonTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    const Type type = m_nodes[nodeId(index)].type;
    if (type != Type::Object && type != Type::Array)
        f |= Qt::ItemNeverHasChildren;
    return f;
}

QVariant JsonTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || m_nodes.empty())
        return {};
    const int id = nodeId(index);
    const Node node = m_nodes[id]; // a copy: materialize() below may reallocate
    const int col = index.column();
    const bool container = node.type == Type::Object || node.type == Type::Array;

    switch (role) {
    case Qt::DisplayRole:
        switch (col) {
        case KeyColumn: return singleLine(keyText(node), kCellChars);
        case TypeColumn: return typeName(node.type);
        case ValueColumn:
            if (container) {
                materialize(id);
                const int n = m_nodes[id].childCount;
                if (node.type == Type::Object)
                    return n == 1 ? tr("{…} 1 key") : tr("{…} %1 keys").arg(n);
                return n == 1 ? tr("[…] 1 item") : tr("[…] %1 items").arg(n);
            }
            if (node.type == Type::String)
                return QString(QLatin1Char('"') + singleLine(valueText(node, kCellChars + 1), kCellChars) + QLatin1Char('"'));
            return singleLine(valueText(node, kCellChars + 1), kCellChars);
        }
        break;
    case Qt::EditRole:
        // The full, unshortened text: what copying a cell puts on the clipboard.
        switch (col) {
        case KeyColumn: return keyText(node);
        case ValueColumn: return valueText(node);
        case TypeColumn: return typeName(node.type);
        }
        break;
    case Qt::ToolTipRole:
        if (col == ValueColumn && !container) {
            QString text = valueText(node, kToolTipChars + 1);
            if (text.size() > kToolTipChars)
                text = text.left(kToolTipChars) + QChar(0x2026);
            return QStringLiteral("<div style=\"white-space:pre-wrap\">%1</div>").arg(text.toHtmlEscaped());
        }
        if (col == KeyColumn)
            return path(id).toHtmlEscaped();
        break;
    case Qt::ForegroundRole:
        if (col == ValueColumn) {
            switch (node.type) {
            case Type::String: return stringColor();
            case Type::Number: return numberColor();
            case Type::Bool:
            case Type::Null: return keywordColor();
            default: return KindPalette::mutedColor();
            }
        }
        if (col == TypeColumn || (col == KeyColumn && node.keyBegin < 0))
            return KindPalette::mutedColor();
        break;
    case ValueTextRole: return valueText(node);
    case PathRole: return path(id);
    case TypeRole: return int(node.type);
    case ChildCountRole:
        if (!container)
            return 0;
        materialize(id);
        return m_nodes[id].childCount;
    }
    return {};
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KeyColumn: return tr("Key");
    case ValueColumn: return tr("Value");
    case TypeColumn: return tr("Type");
    }
    return {};
}

} // namespace spanscope
