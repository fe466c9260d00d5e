# Run at build time (dist/CMakeLists.txt): the built binary writes its man pages and completions
# from its command definitions; man pages and the changelog are compressed as Debian wants
# (gzip -9, no name or timestamp inside, so the package is reproducible).
# Inputs: VECTIMUS (the binary), OUT (the folder to write into).
foreach(dir man-src man completions doc)
  file(REMOVE_RECURSE ${OUT}/${dir})
  file(MAKE_DIRECTORY ${OUT}/${dir})
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "`${ARGN}` failed (${status}): ${err}")
  endif()
endfunction()

run(${VECTIMUS} __doc man ${OUT}/man-src)
foreach(shell_file bash:vectimus.bash zsh:_vectimus fish:vectimus.fish)
  string(REPLACE ":" ";" parts ${shell_file})
  list(GET parts 0 shell)
  list(GET parts 1 name)
  execute_process(COMMAND ${VECTIMUS} __doc completion ${shell} OUTPUT_FILE ${OUT}/completions/${name}
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "`vectimus __doc completion ${shell}` failed (${status})")
  endif()
endforeach()

find_program(GZIP gzip REQUIRED)
file(GLOB pages ${OUT}/man-src/*.1)
foreach(page ${pages})
  get_filename_component(name ${page} NAME)
  execute_process(COMMAND ${GZIP} -9n -c ${page} OUTPUT_FILE ${OUT}/man/${name}.gz
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "gzip ${page} failed")
  endif()
endforeach()
execute_process(COMMAND ${GZIP} -9n -c ${OUT}/changelog OUTPUT_FILE ${OUT}/doc/changelog.gz
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "gzip changelog failed")
endif()
file(TOUCH ${OUT}/man.stamp)
