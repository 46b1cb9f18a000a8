// The timeline chart's geometry (report/chart.h).
#include "report/chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace liitos::report_detail {
namespace {

std::string Num(double v) { return fmt::format("{:.1f}", v); }

std::string Count(double v) {
  if (v >= 1e6) return fmt::format("{:g}M", v / 1e6);
  if (v >= 1e4) return fmt::format("{:g}k", v / 1e3);
  return fmt::format("{:g}", v);
}

// "2026-11-02" → "2.11.", "2026-11-02 14:00" → "14:00".
std::string ShortLabel(const std::string& label) {
  if (label.size() > 10) return label.substr(11);
  if (label.size() == 10)
    return std::to_string(std::stoi(label.substr(8, 2))) + "." + std::to_string(std::stoi(label.substr(5, 2))) + ".";
  return label;
}

}  // namespace

double NiceCeiling(double v) {
  if (v <= 1) return 1;
  double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= v) return m * p;
  return 10 * p;
}

Chart LayOutChart(const std::vector<std::string>& labels, const std::vector<int64_t>& intake,
                  const std::vector<int64_t>& delivered, const std::vector<std::optional<double>>& age_hours) {
  Chart c;
  const size_t n = labels.size();
  int64_t top = 1;
  for (size_t i = 0; i < n; ++i) top = std::max({top, intake[i], delivered[i]});
  c.y_max = static_cast<int64_t>(NiceCeiling(static_cast<double>(top)));
  double age_top = 0;
  for (const auto& a : age_hours) age_top = std::max(age_top, a.value_or(0));
  c.age_max = NiceCeiling(age_top);
  const double plot_h = c.y_bottom - c.y_top;
  for (int i = 0; i <= 4; ++i) {
    double y = c.y_bottom - plot_h * i / 4;
    c.ticks.push_back({y, Count(static_cast<double>(c.y_max) * i / 4), fmt::format("{:g}", c.age_max * i / 4)});
  }
  if (n == 0) return c;
  const double slot = (c.x1 - c.x0) / static_cast<double>(n);
  const double bar_w = std::max(0.5, slot * 0.38);
  const size_t label_every = std::max<size_t>(1, (n + 15) / 16);
  for (size_t i = 0; i < n; ++i) {
    const double left = c.x0 + slot * static_cast<double>(i) + slot * 0.12;
    const double ih = plot_h * static_cast<double>(intake[i]) / static_cast<double>(c.y_max);
    const double dh = plot_h * static_cast<double>(delivered[i]) / static_cast<double>(c.y_max);
    c.bars.push_back({labels[i], intake[i], delivered[i], left, c.y_bottom - ih, ih, left + bar_w, c.y_bottom - dh, dh,
                      bar_w});
    if (i % label_every == 0)
      c.x_labels.push_back({c.x0 + slot * (static_cast<double>(i) + 0.5), c.y_bottom + 16, ShortLabel(labels[i])});
  }
  for (size_t i = 0; i < age_hours.size() && i < n; ++i) {
    const double x = c.x0 + slot * (static_cast<double>(i) + 0.5);
    const double y = c.y_bottom - plot_h * age_hours[i].value_or(0) / c.age_max;
    if (!c.pending_points.empty()) c.pending_points += ' ';
    c.pending_points += Num(x) + "," + Num(y);
  }
  return c;
}

}  // namespace liitos::report_detail
