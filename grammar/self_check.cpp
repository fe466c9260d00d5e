#include "grammar/self_check.hpp"

#include <tao/pegtl/contrib/analyze.hpp>

#include "grammar/rules.hpp"

namespace vectimus::grammar {

std::size_t analyze_grammar() {
  return tao::pegtl::analyze<rules::grammar>(1) + tao::pegtl::analyze<rules::uid_only>(1);
}

}  // namespace vectimus::grammar
