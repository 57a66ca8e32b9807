// QuietMathPolicy: the Boost.Math policy every distribution of the statistics code uses. Errors
// become quiet return values (NaN, infinity or 0) that the callers turn into nullopt: an
// exception or errno would cross into callers that expect neither.
// Thread-safety: a type; nothing to share.
#pragma once

#include <boost/math/policies/policy.hpp>

namespace cryptomood {

using QuietMathPolicy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::pole_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::underflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::denorm_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>,
    boost::math::policies::rounding_error<boost::math::policies::ignore_error>,
    boost::math::policies::indeterminate_result_error<boost::math::policies::ignore_error>>;

}  // namespace cryptomood
