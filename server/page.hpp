// The live page's files (server/page/*), embedded at build time by server/embed_page.cmake: the
// page is served from the binary, nothing is fetched from elsewhere, and it holds no data (it
// reads /events and the approvals API with the key the person types in).
#pragma once

#include <span>
#include <string_view>

namespace vectimus::server {

struct PageFile {
  std::string_view name;  // "index.html", "app.js"
  std::string_view content_type;
  std::string_view body;
};

std::span<const PageFile> page_files();

}  // namespace vectimus::server
