# Proves that the build enforces the layering of src/ (src/CMakeLists.txt):
#  1. no folder's include root links a folder declared after it (above it);
#  2. the compiler rejects, from each folder's root, an #include of every
#     folder its root does not link ("No such file or directory"), and
#     accepts one of every folder it does;
#  3. every source in src/<folder>/ is compiled with that root and without
#     src/ itself on the include path (which would make every header
#     reachable).
# Run by CTest (unit.layering) with -DLAYERS_FILE=<layers.cmake>, which sets
# MCAST_LAYERS ("<folder>=<root>" in declaration order), MCAST_SOURCE_DIR,
# MCAST_BINARY_DIR, MCAST_CXX and MCAST_EXTRA_INCLUDES.

include(${LAYERS_FILE})
set(scratch ${MCAST_BINARY_DIR}/layering_scratch)
file(REMOVE_RECURSE ${scratch})
file(MAKE_DIRECTORY ${scratch})

set(failures 0)
macro(fail)
  message(SEND_ERROR ${ARGN})
  math(EXPR failures "${failures} + 1")
endmacro()

set(order)
foreach(layer IN LISTS MCAST_LAYERS)
  string(REGEX REPLACE "=.*" "" name ${layer})
  string(REGEX REPLACE "^[^=]*=" "" root_${name} ${layer})
  list(APPEND order ${name})
endforeach()
list(LENGTH order count)
if(count LESS 5)
  fail("expected the folders of src/, got '${order}'")
endif()

set(extra)
foreach(dir IN LISTS MCAST_EXTRA_INCLUDES)
  list(APPEND extra -I${dir})
endforeach()

set(checked_ok 0)
set(checked_rejected 0)
foreach(name IN LISTS order)
  set(root ${root_${name}})
  file(GLOB visible RELATIVE ${root} ${root}/*)
  list(FIND order ${name} own_position)
  foreach(other IN LISTS order)
    list(FIND order ${other} position)
    list(FIND visible ${other} seen)
    if(position GREATER own_position AND NOT seen EQUAL -1)
      fail("${name}/ can include ${other}/, which is declared above it")
    endif()
    file(GLOB headers RELATIVE ${MCAST_SOURCE_DIR}/src
         ${MCAST_SOURCE_DIR}/src/${other}/*.h)
    if(NOT headers)
      continue()  # cmd/ has none.
    endif()
    list(GET headers 0 header)
    set(probe ${scratch}/${name}_includes_${other}.cc)
    file(WRITE ${probe} "#include \"${header}\"\n")
    execute_process(
      COMMAND ${MCAST_CXX} -std=c++20 -E -I${root} ${extra} ${probe}
      OUTPUT_QUIET ERROR_VARIABLE err RESULT_VARIABLE rc)
    if(seen EQUAL -1)
      string(FIND "${err}" "${header}: No such file or directory" missing)
      if(rc EQUAL 0 OR missing EQUAL -1)
        fail("${name}/ including ${header} was not rejected as missing "
             "(exit ${rc}): ${err}")
      else()
        math(EXPR checked_rejected "${checked_rejected} + 1")
      endif()
    elseif(NOT rc EQUAL 0)
      fail("${name}/ including ${header} failed (exit ${rc}): ${err}")
    else()
      math(EXPR checked_ok "${checked_ok} + 1")
    endif()
  endforeach()
endforeach()

file(READ ${MCAST_BINARY_DIR}/compile_commands.json db)
string(JSON entries LENGTH "${db}")
math(EXPR last "${entries} - 1")
set(checked_sources 0)
foreach(i RANGE ${last})
  string(JSON file GET "${db}" ${i} file)
  string(JSON command GET "${db}" ${i} command)
  if(NOT file MATCHES "^${MCAST_SOURCE_DIR}/src/([a-z]+)/[^/]+\\.cc$")
    continue()
  endif()
  set(name ${CMAKE_MATCH_1})
  if(NOT DEFINED root_${name})
    continue()
  endif()
  string(FIND "${command}" "-I${root_${name}} " with_root)
  if(with_root EQUAL -1)
    fail("${file} is not compiled with its include root ${root_${name}}")
  endif()
  if(command MATCHES "-I${MCAST_SOURCE_DIR}/src( |$)")
    fail("${file} is compiled with src/ on the include path")
  endif()
  math(EXPR checked_sources "${checked_sources} + 1")
endforeach()
if(checked_sources LESS 20)
  fail("only ${checked_sources} sources of src/ in compile_commands.json")
endif()

message(STATUS "layering: ${checked_ok} includes accepted, "
               "${checked_rejected} rejected, ${checked_sources} sources checked")
if(failures GREATER 0)
  message(FATAL_ERROR "layering: ${failures} failures")
endif()
