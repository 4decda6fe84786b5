#pragma once
// Spells one event as one line of events.jsonl, the way the 2023 file does
// ({"event_id": 1, "event_type": "login", "event_timestamp": 1273290000, "event_data": {...}}),
// with the event's deliberate defect (catalog.hpp) and quirks applied. A pure function of the
// event: exact duplicate lines are the same event rendered twice.
#include <string>

#include "etl/evgen/event.hpp"

namespace ge::evgen {

class Renderer {
 public:
  Renderer();
  // Appends the line, including its "\n" or "\r\n".
  void render(const Event& event, std::string& out);

 private:
  std::string arena_;    // field values of the line being built
  std::string scratch_;  // names and other temporaries
  std::string data_json_;
};

}  // namespace ge::evgen
