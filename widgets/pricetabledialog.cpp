#include "pricetabledialog.h"

#include "chartstyle.h"
#include "pricetablemodel.h"
#include "pricing/pricetable.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace spanscope {

PriceTableDialog::PriceTableDialog(const QString &overridesPath, QWidget *parent)
    : QDialog(parent)
    , m_path(overridesPath)
    , m_model(new PriceTableModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_search(new QLineEdit(this))
    , m_missingLabel(new QLabel(this))
    , m_status(new QLabel(this))
    , m_progress(new QProgressBar(this))
{
    setObjectName(QStringLiteral("priceTableDialog"));
    setWindowTitle(tr("Prices — Spanscope"));
    resize(980, 640);

    QString error;
    std::optional<PriceTableOverrides> overrides = PriceTableOverrides::load(m_path, &error);
    if (!overrides) {
        QMessageBox::warning(this, tr("Prices"), tr("Your prices cannot be read (%1). Saving will replace the file.").arg(error));
        overrides = PriceTableOverrides{};
    }
    m_model->setTables(PriceTable::builtin(), *overrides);

    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setSortRole(PriceTableModel::SortRole);
    m_table->setObjectName(QStringLiteral("priceTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(PriceTableModel::SourceColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed | QAbstractItemView::AnyKeyPressed);
    m_table->horizontalHeader()->setSectionResizeMode(PriceTableModel::ModelColumn, QHeaderView::Stretch);
    const int priceWidth = m_table->fontMetrics().horizontalAdvance(QStringLiteral("Cache write $/M")) + 24;
    for (int c = PriceTableModel::ProviderColumn; c < PriceTableModel::ColumnCount; ++c)
        m_table->setColumnWidth(c, priceWidth);

    m_search->setObjectName(QStringLiteral("priceSearch"));
    m_search->setPlaceholderText(tr("Search models and providers…"));
    m_search->setClearButtonEnabled(true);
    connect(m_search, &QLineEdit::textChanged, this, &PriceTableDialog::setFilterText);

    auto *add = new QPushButton(tr("&Add Model"), this);
    add->setObjectName(QStringLiteral("priceAdd"));
    connect(add, &QPushButton::clicked, this, [this] { addModel(m_missing.value(0)); });
    m_remove = new QPushButton(tr("&Remove Yours"), this);
    m_remove->setObjectName(QStringLiteral("priceRemove"));
    m_remove->setToolTip(tr("Remove your price for the selected model (a built-in price you edited comes back)"));
    connect(m_remove, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
        if (current.isValid())
            m_model->removeOverride(current.row());
        updateButtons();
    });
    auto *import = new QPushButton(tr("&Import…"), this);
    import->setObjectName(QStringLiteral("priceImport"));
    import->setToolTip(tr("Merge prices from LiteLLM's model_prices_and_context_window.json, a genai-prices file or a "
                          "Spanscope overrides file"));
    connect(import, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Import Prices"), QString(), tr("JSON (*.json);;All files (*)"));
        if (!path.isEmpty())
            importFile(path);
    });
    auto *row = new QHBoxLayout;
    row->addWidget(m_search, 1);
    row->addWidget(add);
    row->addWidget(m_remove);
    row->addWidget(import);

    m_missingLabel->setObjectName(QStringLiteral("priceMissing"));
    m_missingLabel->setWordWrap(true);
    m_missingLabel->hide();
    auto *hint = new QLabel(tr("USD per million tokens. Costs reported by the producer are never changed; a model without "
                               "a price shows as “price missing”, never as $0. Your prices are saved in %1.")
                                .arg(QDir::toNativeSeparators(m_path)),
                            this);
    hint->setWordWrap(true);
    hint->setForegroundRole(QPalette::PlaceholderText);

    m_status->setObjectName(QStringLiteral("priceStatus"));
    m_progress->setRange(0, 1000);
    m_progress->setMaximumWidth(240);
    m_progress->hide();
    auto *buttons = new QDialogButtonBox(this);
    m_recompute = buttons->addButton(tr("Save and Re&compute Costs"), QDialogButtonBox::ActionRole);
    m_recompute->setObjectName(QStringLiteral("priceRecompute"));
    m_recompute->setToolTip(tr("Apply these prices to every span of the workspace whose cost was computed (or missing)"));
    m_save = buttons->addButton(QDialogButtonBox::Save);
    buttons->addButton(QDialogButtonBox::Close);
    connect(m_save, &QPushButton::clicked, this, &PriceTableDialog::save);
    connect(m_recompute, &QPushButton::clicked, this, [this] {
        if (m_recomputing) {
            Q_EMIT recomputeCancelled();
            return;
        }
        if (save())
            Q_EMIT recomputeRequested(m_path);
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &PriceTableDialog::reject);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(m_progress);
    bottom->addWidget(buttons);

    auto *v = new QVBoxLayout(this);
    v->addLayout(row);
    v->addWidget(m_missingLabel);
    v->addWidget(m_table, 1);
    v->addWidget(hint);
    v->addLayout(bottom);

    connect(m_model, &PriceTableModel::modifiedChanged, this, &PriceTableDialog::updateButtons);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentChanged, this, &PriceTableDialog::updateButtons);
    updateButtons();
}

void PriceTableDialog::setMissingModels(const QStringList &models)
{
    m_missing = models;
    m_missingLabel->setVisible(!models.isEmpty());
    QPalette pal = m_missingLabel->palette();
    pal.setColor(QPalette::WindowText, ChartStyle::fromPalette(palette()).warning);
    m_missingLabel->setPalette(pal);
    m_missingLabel->setText(tr("⚠ No price for %1 in this workspace: add one to compute their cost.").arg(models.join(QStringLiteral(", "))));
}

void PriceTableDialog::setFilterText(const QString &text)
{
    if (m_search->text() != text)
        m_search->setText(text);
    m_proxy->setFilterFixedString(text);
}

void PriceTableDialog::addModel(const QString &name)
{
    PriceOverride o;
    o.match = name.isEmpty() ? tr("new-model") : name;
    // Not priced until the user types a price: a new row never means $0.
    o.inputPerMTok = -1;
    o.outputPerMTok = -1;
    m_model->addOverride(o);
    m_missing.removeAll(name);
    if (!m_search->text().isEmpty())
        m_search->clear();
    const QModelIndex at = m_proxy->mapFromSource(m_model->index(0, name.isEmpty() ? PriceTableModel::ModelColumn : PriceTableModel::InputColumn));
    m_table->setCurrentIndex(at);
    m_table->scrollTo(at);
    if (isVisible())
        m_table->edit(at);
    updateButtons();
}

bool PriceTableDialog::importFile(const QString &path)
{
    QFile f(path);
    QString error;
    std::optional<PriceTableOverrides::Import> imported;
    if (!f.open(QIODevice::ReadOnly))
        error = f.errorString();
    else
        imported = PriceTableOverrides::importJson(f.readAll(), &error);
    if (!imported) {
        setStatus(tr("Cannot import %1: %2").arg(QFileInfo(path).fileName(), error));
        if (isVisible())
            QMessageBox::warning(this, tr("Import Prices"), tr("%1: %2").arg(QDir::toNativeSeparators(path), error));
        return false;
    }
    const int changed = m_model->mergeOverrides(imported->entries);
    const QString format = imported->format == PriceTableOverrides::ImportFormat::LiteLlm ? QStringLiteral("LiteLLM")
        : imported->format == PriceTableOverrides::ImportFormat::GenaiPrices             ? QStringLiteral("genai-prices")
                                                                                          : tr("overrides");
    QString text = tr("Imported %1 prices from %2 (%3): %4 new or changed.")
                       .arg(imported->entries.size())
                       .arg(QFileInfo(path).fileName(), format)
                       .arg(changed);
    if (imported->skipped > 0)
        text += tr(" %n model(s) without a token price skipped.", nullptr, imported->skipped);
    setStatus(text + tr(" Save to keep them."));
    updateButtons();
    return true;
}

bool PriceTableDialog::save()
{
    // The overrides format needs a price per entry: say which row lacks one instead of writing a
    // file that cannot be read back.
    for (const PriceOverride &o : m_model->overrides().entries) {
        if (o.inputPerMTok < 0 && o.outputPerMTok < 0 && o.tieredPrices.isEmpty()) {
            setStatus(tr("Give %1 an input or output price before saving.").arg(o.matchText()));
            return false;
        }
    }
    QString error;
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    if (!m_model->overrides().save(m_path, &error)) {
        setStatus(error);
        if (isVisible())
            QMessageBox::warning(this, tr("Prices"), tr("Your prices cannot be saved: %1").arg(error));
        return false;
    }
    // Check what was written the way imports will read it.
    QString readError;
    if (!m_model->overrides().entries.isEmpty() && !PriceTable::withOverrides(m_path, &readError)) {
        setStatus(readError);
        return false;
    }
    m_model->setModified(false);
    setStatus(tr("Saved %n price(s) of yours.", nullptr, int(m_model->overrides().entries.size())));
    updateButtons();
    Q_EMIT saved(m_path);
    return true;
}

void PriceTableDialog::setRecomputeProgress(double fraction)
{
    m_recomputing = fraction >= 0;
    m_progress->setVisible(m_recomputing);
    if (m_recomputing)
        m_progress->setValue(int(fraction * 1000));
    m_recompute->setText(m_recomputing ? tr("Stop Recomputing") : tr("Save and Re&compute Costs"));
}

void PriceTableDialog::setStatus(const QString &text)
{
    m_status->setText(text);
    m_status->setToolTip(text);
}

QString PriceTableDialog::status() const
{
    return m_status->text();
}

void PriceTableDialog::reject()
{
    if (m_model->isModified()) {
        const auto answer = QMessageBox::question(this, tr("Prices"), tr("Save your changes to the prices?"),
                                                  QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
        if (answer == QMessageBox::Cancel)
            return;
        if (answer == QMessageBox::Save && !save())
            return;
    }
    QDialog::reject();
}

void PriceTableDialog::updateButtons()
{
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    m_remove->setEnabled(current.isValid() && m_model->isOverride(current.row()));
    m_save->setEnabled(m_model->isModified());
}

} // namespace spanscope
