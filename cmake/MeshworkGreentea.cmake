# meshwork_add_greentea_test(<name> <source>... [APP_CONFIG <mbed_app.json>]
#                            [LABEL conformance|unit] [TIMEOUT <seconds>] [DEPS <library>...])
#
# Builds an Mbed Greentea suite (utest + unity + greentea-client, unchanged) as the program
# <name>, linked with meshwork::meshwork and meshwork::greentea (and DEPS), configured from
# APP_CONFIG with meshwork_configure when given, and registers one CTest test per case:
# <name>.<case description>, each running the suite through the host-test runner
# (meshwork_htrun.py) with that case alone, labelled LABEL (default conformance), with TIMEOUT
# seconds (default 120). The cases are listed by the suite itself after each build
# (MESHWORK_UTEST_LIST=1), so adding a case needs no CMake change. docs/greentea.md.
set(_meshwork_greentea_dir ${CMAKE_CURRENT_LIST_DIR})
if(EXISTS ${_meshwork_greentea_dir}/../tools/greentea/meshwork_htrun.py)
  set(MESHWORK_GREENTEA_RUNNER ${_meshwork_greentea_dir}/../tools/greentea/meshwork_htrun.py)
else()
  set(MESHWORK_GREENTEA_RUNNER ${_meshwork_greentea_dir}/meshwork_htrun.py)  # installed
endif()
cmake_path(NORMAL_PATH MESHWORK_GREENTEA_RUNNER)

function(meshwork_add_greentea_test name)
  cmake_parse_arguments(G "" "APP_CONFIG;LABEL;TIMEOUT" "DEPS" ${ARGN})
  set(sources ${G_UNPARSED_ARGUMENTS})
  if(NOT sources)
    message(FATAL_ERROR "meshwork_add_greentea_test(${name}): no sources")
  endif()
  if(NOT G_LABEL)
    set(G_LABEL conformance)
  endif()
  if(NOT G_TIMEOUT)
    set(G_TIMEOUT 120)
  endif()
  find_package(Python3 COMPONENTS Interpreter REQUIRED)

  add_executable(${name} ${sources})
  foreach(lib meshwork::meshwork meshwork::greentea)
    if(NOT TARGET ${lib})
      message(FATAL_ERROR "meshwork_add_greentea_test(${name}): ${lib} is not available")
    endif()
  endforeach()
  target_link_libraries(${name} PRIVATE meshwork::meshwork meshwork::greentea ${G_DEPS})
  if(G_APP_CONFIG)
    meshwork_configure(${name} APP_CONFIG ${G_APP_CONFIG})
  endif()

  # After each build the suite lists its cases into a CTest script; CTest includes it.
  set(cases_file ${CMAKE_CURRENT_BINARY_DIR}/${name}_cases.cmake)
  add_custom_command(TARGET ${name} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -DSUITE=$<TARGET_FILE:${name}> -DNAME=${name}
            -DOUTPUT=${cases_file} -DRUNNER=${MESHWORK_GREENTEA_RUNNER}
            -DPYTHON=${Python3_EXECUTABLE} -DLABEL=${G_LABEL} -DTIMEOUT=${G_TIMEOUT}
            -P ${_meshwork_greentea_dir}/MeshworkGreenteaDiscover.cmake
    COMMENT "Listing the cases of Greentea suite ${name}"
    VERBATIM)
  set(include_file ${CMAKE_CURRENT_BINARY_DIR}/${name}_include.cmake)
  file(WRITE ${include_file}
    "if(EXISTS \"${cases_file}\")\n"
    "  include(\"${cases_file}\")\n"
    "else()\n"
    "  add_test(${name}_NOT_BUILT ${name}_NOT_BUILT)\n"
    "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${include_file})
endfunction()
