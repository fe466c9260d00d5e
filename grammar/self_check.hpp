// A self-check of the grammar for tests: PEGTL's analyze<>() over the whole rule set, kept
// behind a plain function so that PEGTL stays inside grammar/*.cpp.
#pragma once

#include <cstddef>

namespace vectimus::grammar {

// The number of problems (rules that may loop without consuming input, or recurse forever)
// that tao::pegtl::analyze finds; 0 for a sound grammar. Prints details to stderr.
std::size_t analyze_grammar();

}  // namespace vectimus::grammar
