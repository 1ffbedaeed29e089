#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace spanscope {

class PriceTableModel;

// Settings > Prices…: the price table with search, editing, new models and imports (LiteLLM,
// genai-prices or overrides JSON). Saving writes the user's prices as the overrides file; "Recompute
// Costs" saves, then asks for the workspace's computed costs to be redone with them.
class PriceTableDialog : public QDialog
{
    Q_OBJECT
public:
    // `overridesPath`: where the user's prices are (or will be) saved.
    explicit PriceTableDialog(const QString &overridesPath, QWidget *parent = nullptr);

    PriceTableModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QString overridesPath() const { return m_path; }
    // Models seen in the workspace without a price: offered by Add Model, listed above the table.
    void setMissingModels(const QStringList &models);

    bool save();                                   // false (and a message) when the file cannot be written
    bool importFile(const QString &path);          // merges the prices of a file into the table
    void addModel(const QString &name = {});
    void setFilterText(const QString &text);

    // While the workspace is being re-priced (driven by the main window).
    void setRecomputeProgress(double fraction);    // < 0: not running
    void setStatus(const QString &text);
    QString status() const;

Q_SIGNALS:
    void saved(const QString &path);
    void recomputeRequested(const QString &path);
    void recomputeCancelled();

protected:
    void reject() override;

private:
    void updateButtons();

    QString m_path;
    QStringList m_missing;
    PriceTableModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QLineEdit *m_search;
    QLabel *m_missingLabel;
    QLabel *m_status;
    QProgressBar *m_progress;
    QPushButton *m_remove;
    QPushButton *m_save;
    QPushButton *m_recompute;
    bool m_recomputing = false;
};

} // namespace spanscope
