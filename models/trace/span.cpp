#include "span.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QLocale>

#include <array>

namespace spanscope {

namespace {
constexpr std::array<const char *, SpanKindCount> kKindNames = {
    "span", "llm", "chain", "tool", "retriever", "embedding", "agent", "reranker", "guardrail", "evaluator", "prompt",
};
}

QString spanKindName(SpanKind kind)
{
    const auto i = static_cast<size_t>(kind);
    return QString::fromLatin1(i < kKindNames.size() ? kKindNames[i] : "span");
}

SpanKind spanKindFromName(QStringView name)
{
    const QString lower = name.trimmed().toString().toLower();
    for (size_t i = 0; i < kKindNames.size(); ++i) {
        if (lower == QLatin1String(kKindNames[i]))
            return static_cast<SpanKind>(i);
    }
    return SpanKind::Span;
}

QString statusName(StatusCode code)
{
    switch (code) {
    case StatusCode::Ok: return QStringLiteral("ok");
    case StatusCode::Error: return QStringLiteral("error");
    case StatusCode::Unset: break;
    }
    return QStringLiteral("unset");
}

StatusCode statusFromName(QStringView name)
{
    if (name.compare(QLatin1String("ok"), Qt::CaseInsensitive) == 0)
        return StatusCode::Ok;
    if (name.compare(QLatin1String("error"), Qt::CaseInsensitive) == 0)
        return StatusCode::Error;
    return StatusCode::Unset;
}

QString costSourceName(CostSource source)
{
    switch (source) {
    case CostSource::Reported: return QStringLiteral("reported");
    case CostSource::Computed: return QStringLiteral("computed");
    case CostSource::None: break;
    }
    return QStringLiteral("none");
}

CostSource costSourceFromName(QStringView name)
{
    if (name == QLatin1String("reported"))
        return CostSource::Reported;
    if (name == QLatin1String("computed"))
        return CostSource::Computed;
    return CostSource::None;
}

QVariant attributeValue(const Attributes &attributes, QStringView key)
{
    for (const Attribute &a : attributes) {
        if (a.key == key)
            return a.value;
    }
    return {};
}

const QString *stringAttribute(const Attributes &attributes, qsizetype index)
{
    if (index < 0 || index >= attributes.size() || attributes[index].value.typeId() != QMetaType::QString)
        return nullptr;
    return static_cast<const QString *>(attributes[index].value.constData());
}

MessageSource MessageSource::of(const Attributes &attributes, qsizetype index, const Messages &messages)
{
    const QString *text = stringAttribute(attributes, index);
    return text ? MessageSource{index, *text, messages} : MessageSource{};
}

bool MessageSource::stillHolds(const Attributes &attributes, const Messages &current) const
{
    // Shared copies: anything that replaced or changed the attribute's string or the message list
    // since has detached it from these, so equal data pointers mean unchanged contents.
    const QString *now = stringAttribute(attributes, attribute);
    return now && !now->isEmpty() && now->constData() == text.constData() && now->size() == text.size()
        && !current.isEmpty() && current.constData() == messages.constData() && current.size() == messages.size();
}

QString attributeValueToString(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::QString: return value.toString();
    case QMetaType::Bool: return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QMetaType::Double: return QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
    case QMetaType::QByteArray: return QString::fromLatin1(value.toByteArray().toBase64());
    case QMetaType::QVariantList:
        return QString::fromUtf8(QJsonDocument(QJsonArray::fromVariantList(value.toList())).toJson(QJsonDocument::Compact));
    case QMetaType::QVariantMap:
        return QString::fromUtf8(QJsonDocument(QJsonObject::fromVariantMap(value.toMap())).toJson(QJsonDocument::Compact));
    default: return value.toString();
    }
}

qint64 TokenUsage::effectiveTotal() const
{
    if (total >= 0)
        return total;
    if (input < 0 && output < 0)
        return -1;
    return std::max<qint64>(input, 0) + std::max<qint64>(output, 0);
}

namespace {
QString eventString(const SpanEvent &e, QStringView key)
{
    const QVariant v = attributeValue(e.attributes, key);
    return v.isValid() ? attributeValueToString(v) : QString();
}
} // namespace

QString SpanEvent::exceptionType() const { return eventString(*this, u"exception.type"); }
QString SpanEvent::exceptionMessage() const { return eventString(*this, u"exception.message"); }
QString SpanEvent::exceptionStacktrace() const { return eventString(*this, u"exception.stacktrace"); }

} // namespace spanscope
