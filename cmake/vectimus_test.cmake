# vectimus_catch_test(NAME folder SOURCES ... LIBS ...)
# One Catch2 binary per folder; every test case is registered with ctest and labelled by folder.
# Catch2 2 cannot skip a test, so a test whose tool is missing prints a line starting with
# `SKIPPED: ` and the reason, and ctest reports it as skipped rather than passed.
set(VECTIMUS_TEST_SKIPPED "SKIPPED: ")
function(vectimus_catch_test name)
  cmake_parse_arguments(ARG "" "LABEL" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} Catch2::Catch2WithMain)
  catch_discover_tests(${name} PROPERTIES LABELS "${ARG_LABEL}"
                       SKIP_REGULAR_EXPRESSION "${VECTIMUS_TEST_SKIPPED}"
                       WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endfunction()
