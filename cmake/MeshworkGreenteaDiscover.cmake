# Run by meshwork_add_greentea_test() after a suite is built (cmake -P): asks the suite for its
# cases (MESHWORK_UTEST_LIST=1 prints "MESHWORK_UTEST_CASE <index> <description>" lines) and
# writes the CTest script registering one test per case. A suite that cannot list its cases
# gets one test running it whole, so the failure shows.
# Inputs: SUITE NAME OUTPUT RUNNER PYTHON LABEL TIMEOUT.
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env MESHWORK_UTEST_LIST=1 ${SUITE}
  OUTPUT_VARIABLE listing
  RESULT_VARIABLE status
  TIMEOUT 60)
set(script "# Generated from ${SUITE}: one test per case.\n")
string(REPLACE "\n" ";" lines "${listing}")
set(count 0)
foreach(line IN LISTS lines)
  if(line MATCHES "^MESHWORK_UTEST_CASE ([0-9]+) (.*)$")
    set(index ${CMAKE_MATCH_1})
    string(MAKE_C_IDENTIFIER "${CMAKE_MATCH_2}" case_name)
    set(test "${NAME}.${case_name}")
    string(APPEND script
      "add_test([==[${test}]==] [==[${PYTHON}]==] [==[${RUNNER}]==] --case ${index} "
      "--timeout ${TIMEOUT} -- [==[${SUITE}]==])\n"
      "set_tests_properties([==[${test}]==] PROPERTIES LABELS ${LABEL} TIMEOUT ${TIMEOUT})\n")
    math(EXPR count "${count} + 1")
  endif()
endforeach()
if(NOT status EQUAL 0 OR count EQUAL 0)
  string(APPEND script
    "add_test([==[${NAME}]==] [==[${PYTHON}]==] [==[${RUNNER}]==] --timeout ${TIMEOUT} "
    "-- [==[${SUITE}]==])\n"
    "set_tests_properties([==[${NAME}]==] PROPERTIES LABELS ${LABEL} TIMEOUT ${TIMEOUT})\n")
endif()
file(WRITE ${OUTPUT} "${script}")
