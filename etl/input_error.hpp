#pragma once
// Bad input the user must fix, found by evload itself: an events file unreadable, truncated or
// corrupt, a rejects or report path not writable. Exit 3, never a bug (docs/operations.md).
#include <stdexcept>

namespace ge {

class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace ge
