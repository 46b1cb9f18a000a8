#pragma once
// Internal to report/: the geometry of the timeline chart — bars of records accepted and
// delivered per bucket, a line of the oldest pending update's age — as numbers for the SVG in the
// template. Pure: no I/O, no markup.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace liitos::report_detail {

struct Chart {
  double width = 960, height = 300;
  double x0 = 64, x1 = 896, y_bottom = 262, y_top = 24;  // the plot area
  int64_t y_max = 1;                                      // records at the top of the plot
  double age_max = 1;                                     // hours at the top of the plot
  struct Tick {
    double y;
    std::string label, age_label;
  };
  struct Bar {
    std::string label;
    int64_t intake = 0, delivered = 0;
    double intake_x, intake_y, intake_h, delivered_x, delivered_y, delivered_h, width;
  };
  struct Label {
    double x, y;
    std::string text;
  };
  std::vector<Tick> ticks;
  std::vector<Bar> bars;
  std::vector<Label> x_labels;
  std::string pending_points;  // "x,y x,y …" for a polyline; empty when no age is known
};

// `labels`, `intake`, `delivered` have one entry per bucket; `age_hours` one per bucket up to
// now (nullopt: nothing pending then, drawn as 0).
Chart LayOutChart(const std::vector<std::string>& labels, const std::vector<int64_t>& intake,
                  const std::vector<int64_t>& delivered, const std::vector<std::optional<double>>& age_hours);

// The smallest 1, 2 or 5 × 10^k that is at least `v` (at least 1).
double NiceCeiling(double v);

}  // namespace liitos::report_detail
