#include "io/planted_effect_spec.h"

#include <gtest/gtest.h>

#include <string>

namespace cryptomood {
namespace {

TEST(PlantedEffectTest, ParsesBothDirections) {
  auto leads = ParsePlantedEffect("ETH:leads:2:0.4");
  ASSERT_TRUE(leads.ok()) << leads.error().message;
  EXPECT_EQ(leads->coin, "ETH");
  EXPECT_EQ(leads->kind, EffectKind::kSentimentLeadsReturns);
  EXPECT_EQ(leads->lag_steps, 2);
  EXPECT_EQ(leads->strength, 0.4);
  auto follows = ParsePlantedEffect("BTC:follows:10:-0.25");
  ASSERT_TRUE(follows.ok()) << follows.error().message;
  EXPECT_EQ(follows->kind, EffectKind::kReturnsLeadSentiment);
  EXPECT_EQ(follows->lag_steps, 10);
  EXPECT_EQ(follows->strength, -0.25);
}

TEST(PlantedEffectTest, RejectsMalformedSpecs) {
  for (const char* spec :
       {"", "ETH", "ETH:leads:2", "ETH:leads:2:0.4:1", "ETH:sideways:2:0.4", "ETH:leads:0:0.4",
        "ETH:leads:-1:0.4", "ETH:leads:x:0.4", "ETH:leads:2.5:0.4", "ETH:leads:2:1",
        "ETH:leads:2:-1", "ETH:leads:2:1.5", "ETH:leads:2:nan", "ETH:leads:2:0.4x",
        "ETH:leads:2:", "eth:leads:2:0.4", ":leads:2:0.4", "ETH:LEADS:2:0.4"}) {
    auto effect = ParsePlantedEffect(spec);
    ASSERT_FALSE(effect.ok()) << spec;
    EXPECT_EQ(effect.error().kind, ErrorKind::kUsage) << spec;
    EXPECT_NE(effect.error().message.find(spec), std::string::npos) << effect.error().message;
  }
}

TEST(PlantedEffectTest, ParsesWhatFormatWrites) {
  for (const PlantedEffect& effect : DefaultPlantedEffects()) {
    auto parsed = ParsePlantedEffect(FormatPlantedEffect(effect));
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(FormatPlantedEffect(*parsed), FormatPlantedEffect(effect));
  }
}

}  // namespace
}  // namespace cryptomood
