// Settings > Prices…: search, add a model, edit a built-in price, import LiteLLM and genai-prices
// files, and what is saved is what the price table then computes costs with.
#include "pricing/pricetable.h"
#include "widgets/pricetabledialog.h"
#include "widgets/pricetablemodel.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace spanscope;

namespace {

Span call(const QString &model, qint64 in, qint64 out)
{
    Span s;
    s.traceId = QStringLiteral("t");
    s.spanId = QStringLiteral("s");
    s.kind = SpanKind::Llm;
    s.requestModel = model;
    s.provider = QStringLiteral("openai");
    s.tokens.input = in;
    s.tokens.output = out;
    return s;
}

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-12 + 1e-9 * std::abs(b);
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    QFile f(dir.filePath(name));
    f.open(QIODevice::WriteOnly);
    f.write(content);
    return f.fileName();
}

} // namespace

class TestPriceTableDialog : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void searchFiltersRows()
    {
        PriceTableDialog dialog(m_dir.filePath("search.json"));
        QAbstractItemModelTester tester(dialog.model());
        QAbstractItemModel *shown = dialog.table()->model();
        const int all = shown->rowCount();
        QVERIFY(all > 50);   // the built-in table
        dialog.setFilterText(QStringLiteral("claude"));
        const int some = shown->rowCount();
        QVERIFY(some > 0 && some < all);
        for (int r = 0; r < some; ++r) {
            QStringList cells;
            for (int c = 0; c < shown->columnCount(); ++c)
                cells << shown->index(r, c).data().toString();
            QVERIFY2(cells.join(' ').contains("claude", Qt::CaseInsensitive), qPrintable(cells.join(' ')));
        }
        dialog.setFilterText(QString());
        QCOMPARE(shown->rowCount(), all);
    }

    void addAMissingModelAndPriceIt()
    {
        const QString path = m_dir.filePath("add.json");
        PriceTableDialog dialog(path);
        // Without a price, acme-x has no computed cost.
        Span before = call("acme-x", 300, 30);
        applyComputedCost(before, *PriceTable::builtin());
        QVERIFY(!before.cost.isKnown());

        dialog.setMissingModels({QStringLiteral("acme-x")});
        auto *missing = dialog.findChild<QLabel *>(QStringLiteral("priceMissing"));
        QVERIFY(missing && !missing->isHidden());
        QVERIFY(missing->text().contains("acme-x"));
        // "Add Model" offers the first model without a price.
        auto *add = dialog.findChild<QPushButton *>(QStringLiteral("priceAdd"));
        QVERIFY(add);
        add->click();
        PriceTableModel *m = dialog.model();
        const int row = m->rowOf(QStringLiteral("acme-x"));
        QVERIFY(row >= 0);
        QVERIFY(m->isOverride(row));
        QVERIFY(m->setData(m->index(row, PriceTableModel::InputColumn), QStringLiteral("100")));
        QVERIFY(m->setData(m->index(row, PriceTableModel::OutputColumn), QStringLiteral("1000")));
        QVERIFY(m->isModified());
        QVERIFY2(dialog.save(), qPrintable(dialog.status()));
        QVERIFY(!m->isModified());

        QString error;
        const auto prices = PriceTable::withOverrides(path, &error);
        QVERIFY2(prices, qPrintable(error));
        Span after = call("acme-x", 300, 30);
        applyComputedCost(after, *prices);
        QVERIFY(after.cost.isKnown());
        QVERIFY(near(after.cost.totalUsd, 300 * 100e-6 + 30 * 1000e-6));
        // A dialog opened later shows the saved price as the user's.
        PriceTableDialog again(path);
        const int r2 = again.model()->rowOf(QStringLiteral("acme-x"));
        QVERIFY(r2 >= 0 && again.model()->isOverride(r2));
        QCOMPARE(again.model()->index(r2, PriceTableModel::OutputColumn).data().toString(), PriceTableModel::formatPrice(1000));
    }

    void editingABuiltinPriceOverridesIt()
    {
        const QString path = m_dir.filePath("edit.json");
        PriceTableDialog dialog(path);
        PriceTableModel *m = dialog.model();
        int row = -1;
        for (int r = 0; r < m->rowCount() && row < 0; ++r) {
            if (!m->isOverride(r) && m->index(r, PriceTableModel::ModelColumn).data().toString() == QLatin1String("gpt-4o"))
                row = r;
        }
        if (row < 0) {
            for (int r = 0; r < m->rowCount() && row < 0; ++r) {
                if (!m->isOverride(r) && m->index(r, PriceTableModel::ModelColumn).data().toString().startsWith("gpt-4o"))
                    row = r;
            }
        }
        QVERIFY(row >= 0);
        const int rows = m->rowCount();
        QVERIFY(m->setData(m->index(row, PriceTableModel::InputColumn), QStringLiteral("7")));
        QVERIFY(m->isOverride(row));
        QCOMPARE(m->rowCount(), rows);   // in place
        QVERIFY(dialog.save());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonArray models = QJsonDocument::fromJson(f.readAll()).object()["models"].toArray();
        QCOMPARE(models.size(), 1);
        QCOMPARE(models[0]["input_mtok"].toDouble(), 7.0);
        // Removing the user's price brings the built-in one back.
        QVERIFY(m->removeOverride(row));
        QVERIFY(!m->isOverride(row));
        QCOMPARE(m->rowCount(), rows);
    }

    void importsLiteLlmAndGenaiPrices()
    {
        PriceTableDialog dialog(m_dir.filePath("import.json"));
        const QString litellm = writeFile(m_dir, "litellm.json", R"({
            "sample_spec": {"input_cost_per_token": 0, "litellm_provider": "one of …"},
            "my-llm": {"input_cost_per_token": 1e-6, "output_cost_per_token": 3e-6, "litellm_provider": "openai", "mode": "chat"},
            "embed-only": {"litellm_provider": "openai", "mode": "embedding"}})");
        QVERIFY(dialog.importFile(litellm));
        QVERIFY2(dialog.status().contains("LiteLLM"), qPrintable(dialog.status()));
        PriceTableModel *m = dialog.model();
        const int r = m->rowOf(QStringLiteral("my-llm"));
        QVERIFY(r >= 0 && m->isOverride(r));
        QCOMPARE(m->index(r, PriceTableModel::InputColumn).data().toString(), PriceTableModel::formatPrice(1));
        QCOMPARE(m->index(r, PriceTableModel::OutputColumn).data().toString(), PriceTableModel::formatPrice(3));
        QVERIFY(m->isModified());

        const QString genai = writeFile(m_dir, "genai.json", R"({"providers": [{"id": "acme", "name": "Acme",
            "models": [{"id": "acme-z", "name": "Acme Z", "match": {"equals": "acme-z"}, "prices": {"input_mtok": 2, "output_mtok": 8}}]}]})");
        QVERIFY(dialog.importFile(genai));
        QVERIFY2(dialog.status().contains("genai-prices"), qPrintable(dialog.status()));
        QVERIFY(dialog.save());
        QString error;
        const auto prices = PriceTable::withOverrides(dialog.overridesPath(), &error);
        QVERIFY2(prices, qPrintable(error));
        Span z = call("acme-z", 1000, 1000);
        z.provider = QStringLiteral("acme");
        applyComputedCost(z, *prices);
        QVERIFY(near(z.cost.totalUsd, 1000 * 2e-6 + 1000 * 8e-6));
        Span mine = call("my-llm", 1000, 1000);
        applyComputedCost(mine, *prices);
        QVERIFY(near(mine.cost.totalUsd, 1000 * 1e-6 + 1000 * 3e-6));

        const QString broken = writeFile(m_dir, "broken.json", "{not json");
        QVERIFY(!dialog.importFile(broken));
        QVERIFY2(dialog.status().contains("broken.json"), qPrintable(dialog.status()));
    }

    void recomputeButtonSavesThenAsks()
    {
        const QString path = m_dir.filePath("recompute.json");
        PriceTableDialog dialog(path);
        dialog.addModel(QStringLiteral("acme-y"));
        PriceTableModel *m = dialog.model();
        // A new row has no price (not $0) and cannot be saved until it gets one.
        QCOMPARE(m->index(m->rowOf("acme-y"), PriceTableModel::InputColumn).data().toString(), QString());
        QVERIFY(!dialog.save());
        QVERIFY2(dialog.status().contains("acme-y"), qPrintable(dialog.status()));
        QVERIFY(!QFile::exists(path));
        QVERIFY(m->setData(m->index(m->rowOf("acme-y"), PriceTableModel::InputColumn), QStringLiteral("1")));
        QSignalSpy asked(&dialog, &PriceTableDialog::recomputeRequested);
        auto *recompute = dialog.findChild<QPushButton *>(QStringLiteral("priceRecompute"));
        QVERIFY(recompute);
        recompute->click();
        QCOMPARE(asked.count(), 1);
        QCOMPARE(asked.at(0).at(0).toString(), path);
        QVERIFY(QFile::exists(path));
        // While it runs the button stops it.
        dialog.setRecomputeProgress(0.5);
        QSignalSpy cancelled(&dialog, &PriceTableDialog::recomputeCancelled);
        recompute->click();
        QCOMPARE(cancelled.count(), 1);
        dialog.setRecomputeProgress(-1);
    }
};

QTEST_MAIN(TestPriceTableDialog)
#include "tst_pricetabledialog.moc"
