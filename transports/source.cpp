#include "transports/source.h"

#include "base/fs.h"

namespace liitos {

Status Source::WriteReceiptFile(const std::string& name, const std::string& path) {
  auto data = ReadFile(path);
  if (!data.ok()) return data.status();
  return WriteReceipt(name, *data);
}

}  // namespace liitos
